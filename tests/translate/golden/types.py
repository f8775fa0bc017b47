"""Translated from types.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


def main():
    global a, b, bVrai, bufDonnées, nNombre, rRéel, sTexte, tabNoms
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


if __name__ == "__main__":
    main()
