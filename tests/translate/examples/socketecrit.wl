// examples/socketecrit.py: the WLangage lines it keeps as comments.
// As in the port, the UDP port is a parameter (the page writes 2005).
PROCEDURE pEcritTCP(sSocket)
SI SocketEcrit(sSocket, "hello world") = Faux ALORS
	Erreur("Envoi impossible : " + ErreurInfo(errMessage))
	RENVOYER Faux
FIN
RENVOYER Vrai

PROCEDURE pEcritUDP(sSocket, sMessage, sAdresse, nPort = 2005)
SI SocketEcrit(sSocket, sMessage, sAdresse, nPort) = Faux ALORS
	Erreur("Envoi impossible : " + ErreurInfo(errMessage))
	RENVOYER Faux
FIN
RENVOYER Vrai
