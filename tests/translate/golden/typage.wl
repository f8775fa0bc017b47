// Typed declarations and conversions: Buffer receives a chaîne, entier receives a chaîne, chaîne + nombre
bufDonnées est un Buffer = "ABC"
nNombre est un entier = "12"
sTexte est une chaîne = "n=" + 5
rRéel est un réel
bVrai est un booléen = Vrai
a, b sont des entiers
tabNoms est un tableau de chaînes
Trace(Taille(bufDonnées), nNombre, sTexte, rRéel, bVrai, a + b)
// a json receives the chaîne a Variant holds: the JSON text is parsed, at declaration and on assignment
vTexte est un Variant = "[1, 2, 3]"
jListe est un JSON = vTexte
jAutre est un JSON
jAutre = vTexte
Trace(jListe..Occurrence, jAutre[2])
