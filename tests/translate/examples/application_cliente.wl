// examples/application_cliente.py: the WLangage lines it keeps as comments.
PROCEDURE pClient(nPort = 8000, sAdresse = "127.0.0.1", sNom = "Client", sMessage = "Bonjour")
SI SocketConnecte(sNom, nPort, sAdresse) = Faux ALORS
	Erreur("Connexion impossible : " + ErreurInfo(errMessage))
	RENVOYER ""
FIN
SocketEcrit(sNom, sMessage)
sRéponse est une chaîne = SocketLit(sNom)
SocketFerme(sNom)
RENVOYER sRéponse
