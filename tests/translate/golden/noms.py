"""Translated from noms.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


def main():
    global NLongueur, sClé
    # // Identifiers: case- and accent-insensitive, the declared spelling is kept; wlsocket's names in any spelling
    # sClé est une chaîne = "abc"
    sClé = "abc"
    # SCLE = sCle + "d"
    sClé = sClé + "d"
    # NLongueur est un entier = taille(SCLÉ)
    NLongueur = Taille(sClé)
    # trace(majuscule(sclé), nlongueur)
    Trace(Majuscule(sClé), NLongueur)
    # SI socketexiste("inconnu") = faux ALORS Trace("pas de socket")
    if SocketExiste("inconnu") == Faux:
        Trace("pas de socket")


if __name__ == "__main__":
    main()
