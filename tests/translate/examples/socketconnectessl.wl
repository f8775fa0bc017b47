// examples/socketconnectessl.py: the WLangage lines it keeps as comments.
// As in the port: the port is a parameter, and the certificate authority of the test is
// given by name (a wlsocket parameter of SocketConnecteSSL).
PROCEDURE pClientSSL(nPort, sAdresseIP, sMessage, sAutorité = Null)
SI SocketConnecteSSL("Server", nPort, sAdresseIP, <ca_file>: sAutorité) = Faux ALORS
	Erreur("Connexion impossible : " + ErreurInfo(errMessage))
	RENVOYER ""
FIN
SocketEcrit("Server", sMessage)
sRéponse est une chaîne = SocketLit("Server")
SocketFerme("Server")
RENVOYER sRéponse
