// examples/socketexiste.py: the WLangage lines it keeps as comments.
// As in the port, the port is a parameter and the socket listens on loopback.
PROCEDURE pLitOuCrée(nPort = 8000)
sMessage est une chaîne
SI SocketExiste("MaSocket") = Faux ALORS
	SI SocketCrée("MaSocket", nPort, "127.0.0.1") = Faux ALORS
		Erreur("Erreur de création : " + ErreurInfo(errMessage))
	FIN
SINON
	sMessage = SocketLit("MaSocket", Faux)
FIN
RENVOYER sMessage
