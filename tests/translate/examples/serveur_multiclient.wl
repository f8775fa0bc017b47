// examples/serveur_multiclient.py: the WLangage lines it keeps as comments.
// As in the port: the port is a parameter, the server listens on loopback, and the waiting
// loop ends once "Serveur" has been closed (waiting on a closed socket is a fatal error).
PROCEDURE pGestionCanal(Canal)
BOUCLE
	sMessage est une chaîne = SocketLit(Canal)
	SI sMessage = "" ALORS SORTIR      // le client est parti
	SocketEcrit(Canal, "Reçu : " + sMessage)
FIN
SocketFerme(Canal)

PROCEDURE pAttenteConnexion()
BOUCLE
	SI SocketExiste("Serveur") = Faux ALORS SORTIR
	QUAND EXCEPTION DANS
		bConnexion est un booléen = SocketAttendConnexion("Serveur")
	FAIRE
		SORTIR
	FIN
	SI bConnexion ALORS
		Canal est une chaîne = SocketAccepte("Serveur")
		ThreadExécute(Canal, threadNormal, pGestionCanal, Canal)
	FIN
FIN

PROCEDURE pDémarreServeur(nPort = 8000)
SI SocketCrée("Serveur", nPort, "127.0.0.1") = Faux ALORS
	Erreur("Création impossible : " + ErreurInfo(errMessage))
	RENVOYER Faux
FIN
ThreadExécute("AttenteConnexion", threadNormal, pAttenteConnexion)
RENVOYER Vrai
