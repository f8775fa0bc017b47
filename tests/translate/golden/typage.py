"""Translated from typage.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


def main():
    global a, b, bVrai, bufDonnées, jAutre, jListe, nNombre, rRéel, sTexte, tabNoms, vTexte
    # // Typed declarations and conversions: Buffer receives a chaîne, entier receives a chaîne, chaîne + nombre
    # bufDonnées est un Buffer = "ABC"
    bufDonnées = Buffer("ABC")
    # nNombre est un entier = "12"
    nNombre = int(Val("12"))
    # sTexte est une chaîne = "n=" + 5
    sTexte = "n=" + str(5)
    # rRéel est un réel
    rRéel = 0.0
    # bVrai est un booléen = Vrai
    bVrai = Vrai
    # a, b sont des entiers
    a = 0
    b = 0
    # tabNoms est un tableau de chaînes
    tabNoms = Tableau()
    # Trace(Taille(bufDonnées), nNombre, sTexte, rRéel, bVrai, a + b)
    Trace(Taille(bufDonnées), nNombre, sTexte, rRéel, bVrai, a + b)
    # // a json receives the chaîne a Variant holds: the JSON text is parsed, at declaration and on assignment
    # vTexte est un Variant = "[1, 2, 3]"
    vTexte = "[1, 2, 3]"
    # jListe est un JSON = vTexte
    jListe = JSON(vTexte)
    # jAutre est un JSON
    jAutre = JSON()
    # jAutre = vTexte
    jAutre = JSON(vTexte)
    # Trace(jListe..Occurrence, jAutre[2])
    Trace(jListe.Occurrence_, jAutre[2])


if __name__ == "__main__":
    main()
