// [[ ]] read and written, optional concatenation, "" escapes, multi-line chaînes, [= and family, hex
sTexte est une chaîne = "Bonjour le monde"
sDébut est une chaîne = sTexte[[1 A 7]]
sFin est une chaîne = sTexte[[9 A]]
sDeux est une chaîne = sTexte[[4 SUR 2]]
sTexte[[1]] = "b"
sCitation est une chaîne = "il a dit ""oui"""
sLignes est une chaîne = [
	première ligne
	seconde ligne
]
sAvec est une chaîne = ""
sAvec += [", "] + "un"
sAvec += [", "] + "deux"
SI sTexte [= "bon" ALORS Trace("commence")
SI sTexte =] "monde" ALORS Trace("finit")
SI sTexte [=] "le" ALORS Trace("contient")
nMasque est un entier = 0xFF & 0x0F
Trace(sDébut, sFin, sDeux, sTexte, sCitation, sAvec, nMasque)
Trace(sLignes)
