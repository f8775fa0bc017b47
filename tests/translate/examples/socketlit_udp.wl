// examples/socketlit_udp.py: the WLangage lines it keeps as comments.
PROCEDURE pLitDatagrammes(sSocket, TABLE_Messages, nNombre)
POUR i = 1 _A_ nNombre
	sMessage est une chaîne = SocketLit(sSocket, Faux)
	SI sMessage <> "" ALORS
		TableAjoute(TABLE_Messages, sMessage + TAB + ...
			SocketClientInfo(sSocket, SocketAdresse) + TAB + SocketClientInfo(sSocket, SocketPort))
	FIN
FIN
