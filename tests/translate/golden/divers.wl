// <thread principal>, assignment by reference, PROCEDURE INTERNE written inside a block, ternary, DANS
PROCEDURE MetÀJour(sTexte) <thread principal>
Trace("principal : " + sTexte)

PROCEDURE Choisis(n)
sNom est une chaîne
SI n > 0 ALORS
	PROCEDURE INTERNE Nomme(x)
		RENVOYER "n" + x
	FIN
FIN
sNom <- Nomme(n)
sÉtat est une chaîne = (n DANS (1, 2)) ? "petit" SINON "autre"
RENVOYER sNom + " " + sÉtat
