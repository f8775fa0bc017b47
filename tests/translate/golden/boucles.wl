// BOUCLE, BOUCLE(n), TANTQUE, POUR ... _A_ ... PAS, POUR TOUT, POUR TOUTE CHAÎNE, SORTIR, CONTINUER
nTotal est un entier
POUR i = 1 _A_ 10 PAS 3
	nTotal += i
FIN
POUR j = 5 A 1 PAS -2
	nTotal += j
FIN
BOUCLE(3)
	nTotal++
FIN
BOUCLE
	nTotal -= 1
	SI nTotal < 20 ALORS SORTIR
FIN
TANTQUE nTotal < 25
	nTotal = nTotal + 2
	SI nTotal modulo 2 = 0 ALORS CONTINUER
FIN
sListe est une chaîne = "a;b;;c"
nMorceaux est un entier = 0
POUR TOUTE CHAÎNE sMorceau DE sListe SÉPARÉE PAR ";"
	nMorceaux++
FIN
Trace(nTotal, nMorceaux)
