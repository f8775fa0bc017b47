// examples/websocketclientconnecte.py, its synchronous syntax: the WLangage lines it keeps as comments.
// As in the port: the server's address and port, and the message, are parameters.
PROCEDURE pEchoSynchrone(sAdresse, nPort, sMessage = "Bonjour")
SI WebSocketClientConnecte("MaWebSocket", sAdresse, nPort) ALORS
	SocketEcrit("MaWebSocket", sMessage)
	sRéponse est une chaîne = SocketLit("MaWebSocket", Vrai)
	ToastAffiche(sRéponse)
	SocketFerme("MaWebSocket")
	RENVOYER sRéponse
SINON
	Erreur(ErreurInfo())
FIN
RENVOYER ""
