// examples/socketchangemodetransmission.py: the WLangage lines it keeps as comments.
PROCEDURE pModeMarqueurFin(sSocket)
// Messages terminés par le marqueur par défaut
RENVOYER SocketChangeModeTransmission(sSocket, SocketMarqueurFin)

PROCEDURE pModeLignes(sSocket)
SI SocketChangeModeTransmission(sSocket, SocketMarqueurFin, CRLF) = Faux ALORS
	Info("Changement de mode impossible : " + ErreurInfo(errMessage))
	RENVOYER Faux
FIN
RENVOYER Vrai
