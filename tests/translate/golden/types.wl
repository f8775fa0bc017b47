// Typed declarations and conversions: Buffer receives a chaîne, entier receives a chaîne, chaîne + nombre
bufDonnées est un Buffer = "ABC"
nNombre est un entier = "12"
sTexte est une chaîne = "n=" + 5
rRéel est un réel
bVrai est un booléen = Vrai
a, b sont des entiers
tabNoms est un tableau de chaînes
Trace(Taille(bufDonnées), nNombre, sTexte, rRéel, bVrai, a + b)
