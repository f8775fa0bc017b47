// Identifiers: case- and accent-insensitive, the declared spelling is kept; wlsocket's names in any spelling
sClé est une chaîne = "abc"
SCLE = sCle + "d"
NLongueur est un entier = taille(SCLÉ)
trace(majuscule(sclé), nlongueur)
SI socketexiste("inconnu") = faux ALORS Trace("pas de socket")
