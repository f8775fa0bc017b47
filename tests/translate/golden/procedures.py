"""Translated from procedures.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


# PROCEDURE Compte(nFois est un entier, LOCAL sPréfixe est une chaîne = "tour ")
def Compte(nFois, sPréfixe="tour "):
    # PROCEDURE INTERNE Un()
    def Un():
        global nCompteur
        nonlocal nVus
        # nVus++
        nVus += 1
        # nCompteur++
        nCompteur += 1
        # FIN
    # nVus est un entier = 0
    nVus = 0
    # POUR i = 1 _A_ nFois
    for i in range(1, nFois + 1):
        # Un()
        Un()
    # FIN
    # Trace(sPréfixe + nVus)
    Trace(sPréfixe + str(nVus))


def main():
    global nCompteur
    # // PROCEDURE with typed parameters and defaults, LOCAL, PROCEDURE INTERNE used before its declaration, closures
    # nCompteur est un entier = 0
    nCompteur = 0
    # Compte(3)
    Compte(3)
    # Trace(nCompteur)
    Trace(nCompteur)


if __name__ == "__main__":
    main()
