"""Translated from chaines.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403
from wlsocket.wlangage import affecte_sous_chaine, sous_chaine  # [[ ]]


def main():
    global nMasque, sAvec, sCitation, sDeux, sDébut, sFin, sLignes, sTexte
    # // [[ ]] read and written, optional concatenation, "" escapes, multi-line chaînes, [= and family, hex
    # sTexte est une chaîne = "Bonjour le monde"
    sTexte = "Bonjour le monde"
    # sDébut est une chaîne = sTexte[[1 A 7]]
    sDébut = sous_chaine(sTexte, 1, 7)
    # sFin est une chaîne = sTexte[[9 A]]
    sFin = sous_chaine(sTexte, 9, None)
    # sDeux est une chaîne = sTexte[[4 SUR 2]]
    sDeux = sous_chaine(sTexte, 4, sur=2)
    # sTexte[[1]] = "b"
    sTexte = affecte_sous_chaine(sTexte, 1, "b")
    # sCitation est une chaîne = "il a dit ""oui"""
    sCitation = 'il a dit "oui"'
    # sLignes est une chaîne = [
    # première ligne
    # seconde ligne
    # ]
    sLignes = "première ligne\r\nseconde ligne"
    # sAvec est une chaîne = ""
    sAvec = ""
    # sAvec += [", "] + "un"
    sAvec += (", " if sAvec else "") + "un"
    # sAvec += [", "] + "deux"
    sAvec += (", " if sAvec else "") + "deux"
    # SI sTexte [= "bon" ALORS Trace("commence")
    if sTexte.startswith("bon"):
        Trace("commence")
    # SI sTexte =] "monde" ALORS Trace("finit")
    if sTexte.endswith("monde"):
        Trace("finit")
    # SI sTexte [=] "le" ALORS Trace("contient")
    if "le" in sTexte:
        Trace("contient")
    # nMasque est un entier = 0xFF & 0x0F
    nMasque = 0xff & 0x0f
    # Trace(sDébut, sFin, sDeux, sTexte, sCitation, sAvec, nMasque)
    Trace(sDébut, sFin, sDeux, sTexte, sCitation, sAvec, nMasque)
    # Trace(sLignes)
    Trace(sLignes)


if __name__ == "__main__":
    main()
