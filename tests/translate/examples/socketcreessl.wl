// examples/socketcreessl.py: the WLangage lines it keeps as comments.
// As in the port: the port is a parameter and the server listens on loopback.
PROCEDURE pServeurSSL(sEmpreinte, nPort = 5043)
SI SocketCréeSSL("ServeurSSL", nPort, sEmpreinte, HashCertificat, "127.0.0.1") = Faux ALORS
	Erreur(ErreurInfo())
	RENVOYER Faux
FIN
Info("Serveur SSL démarré")
RENVOYER Vrai

PROCEDURE pServeurSSLRépond()
sMessage est une chaîne = ""
SI SocketAttendConnexion("ServeurSSL", 10000) ALORS
	Canal est une chaîne = SocketAccepte("ServeurSSL")
	sMessage = SocketLit(Canal)
	SocketEcrit(Canal, "Reçu en SSL : " + sMessage)
	SocketFerme(Canal)
FIN
SocketFerme("ServeurSSL")
RENVOYER sMessage
