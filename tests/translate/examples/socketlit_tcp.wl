// examples/socketlit_tcp.py: the WLangage lines it keeps as comments.
// As in the port, the loop also stops when the peer has gone (the original spins until SocketFerme).
PROCEDURE pListeMessages(sSocket, LISTE_Messages)
TANTQUE SocketExiste(sSocket)
	sMessage est une chaîne = SocketLit(sSocket, Vrai)
	SI sMessage = "" _ET_ ErreurDétectée ALORS SORTIR
	SI sMessage <> "" ALORS
		ListeAjoute(LISTE_Messages, HeureVersChaîne(Maintenant()) + " " + sMessage)
	FIN
FIN
