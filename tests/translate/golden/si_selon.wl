// SI / SINON SI / SINON, one-line SI, SELON with values, lists, ranges, comparisons
PROCEDURE Classe(nValeur est un entier) : chaîne
sRésultat est une chaîne
SI nValeur < 0 ALORS
	sRésultat = "négatif"
SINON SI nValeur = 0
	sRésultat = "zéro"
SINON
	SELON nValeur
		CAS 1, 2, 3 : sRésultat = "petit"
		CAS 4 A 9
			sRésultat = "moyen"
		CAS >= 100
			sRésultat = "énorme"
		AUTRE CAS
			sRésultat = "grand"
	FIN
FIN
SI nValeur = 42 ALORS sRésultat += " (la réponse)"
RENVOYER sRésultat

PROCEDURE Signe(n)
if n > 0 then result "+" else result "-"
