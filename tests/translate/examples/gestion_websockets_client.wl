// The WLangage of the page "Gestion des WebSockets" that examples/gestion_websockets_client.py keeps as comments
// (the documentation example its hand port is made from).
SocketConnecte("client", "ws://<AdresseIPServeur>:5001", ProcRetour)

// Remarque : en cas de connexion en mode sécurisé, utiliser 'wss' à la place de 'ws'
// SocketConnecte("client", "wss://<AdresseIPServeur>:5001", ProcRetour)
// Attention : en code serveur, il est nécessaire d'utiliser 
// la fonction SocketCréeSSL à la place de la fonction SocketCrée

Info("fermeture socket...")

SocketFerme("client")

PROCEDURE ProcRetour(nEvenement, sMessage)
gsRes est une chaîne = ""

SELON nEvenement
	CAS SocketOuverture : 
		SocketEcrit("client", "Texte du message envoyé depuis le navigateur.")
		RETOUR
	CAS SocketMessage : gsRes += [RC] + "Réception du message : " + sMessage
		
	CAS SocketFermeture : gsRes += [RC] + "Fermeture de la socket"
		
	CAS SocketErreur : gsRes += [RC] + "Erreur de la socket : " + sMessage
		RETOUR
	AUTRE CAS
		
FIN
Info(gsRes)
