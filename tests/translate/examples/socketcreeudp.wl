// examples/socketcreeudp.py: the WLangage lines it keeps as comments.
// As in the port, the name and the port are parameters and the socket is on loopback.
PROCEDURE pCréeUDP(sNom = "Serveur", nPort = 8000)
SI SocketCréeUDP(sNom, nPort, "127.0.0.1") = Faux ALORS
	Erreur("Erreur de création de la socket UDP : " + ErreurInfo(errMessage))
	RENVOYER Faux
FIN
RENVOYER Vrai
