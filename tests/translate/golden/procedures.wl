// PROCEDURE with typed parameters and defaults, LOCAL, PROCEDURE INTERNE used before its declaration, closures
nCompteur est un entier = 0
Compte(3)
Trace(nCompteur)

PROCEDURE Compte(nFois est un entier, LOCAL sPréfixe est une chaîne = "tour ")
nVus est un entier = 0
POUR i = 1 _A_ nFois
	Un()
FIN
Trace(sPréfixe + nVus)

PROCEDURE INTERNE Un()
	nVus++
	nCompteur++
FIN
