"""Translated from boucles.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


def main():
    global i, j, nMorceaux, nTotal, sListe, sMorceau
    # // BOUCLE, BOUCLE(n), TANTQUE, POUR ... _A_ ... PAS, POUR TOUT, POUR TOUTE CHAÎNE, SORTIR, CONTINUER
    # nTotal est un entier
    nTotal = 0
    # POUR i = 1 _A_ 10 PAS 3
    for i in range(1, 10 + 1, 3):
        # nTotal += i
        nTotal += i
    # FIN
    # POUR j = 5 A 1 PAS -2
    for j in range(5, 1 - 1, -2):
        # nTotal += j
        nTotal += j
    # FIN
    # BOUCLE(3)
    for _ in range(3):
        # nTotal++
        nTotal += 1
    # FIN
    # BOUCLE
    while True:
        # nTotal -= 1
        nTotal -= 1
        # SI nTotal < 20 ALORS SORTIR
        if nTotal < 20:
            break
    # FIN
    # TANTQUE nTotal < 25
    while nTotal < 25:
        # nTotal = nTotal + 2
        nTotal = nTotal + 2
        # SI nTotal modulo 2 = 0 ALORS CONTINUER
        if nTotal % 2 == 0:
            continue
    # FIN
    # sListe est une chaîne = "a;b;;c"
    sListe = "a;b;;c"
    # nMorceaux est un entier = 0
    nMorceaux = 0
    # POUR TOUTE CHAÎNE sMorceau DE sListe SÉPARÉE PAR ";"
    for sMorceau in (sListe).split(";"):
        # nMorceaux++
        nMorceaux += 1
    # FIN
    # Trace(nTotal, nMorceaux)
    Trace(nTotal, nMorceaux)


if __name__ == "__main__":
    main()
