"""Translated from si_selon.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


# // SI / SINON SI / SINON, one-line SI, SELON with values, lists, ranges, comparisons
# PROCEDURE Classe(nValeur est un entier) : chaîne
def Classe(nValeur):
    # sRésultat est une chaîne
    sRésultat = ""
    # SI nValeur < 0 ALORS
    if nValeur < 0:
        # sRésultat = "négatif"
        sRésultat = "négatif"
    # SINON SI nValeur = 0
    elif nValeur == 0:
        # sRésultat = "zéro"
        sRésultat = "zéro"
    # SINON
    else:
        # SELON nValeur
        # CAS 1, 2, 3 : sRésultat = "petit"
        if nValeur == 1 or nValeur == 2 or nValeur == 3:
            sRésultat = "petit"
        # CAS 4 A 9
        elif 4 <= nValeur <= 9:
            # sRésultat = "moyen"
            sRésultat = "moyen"
        # CAS >= 100
        elif nValeur >= 100:
            # sRésultat = "énorme"
            sRésultat = "énorme"
        # AUTRE CAS
        else:
            # sRésultat = "grand"
            sRésultat = "grand"
        # FIN
    # FIN
    # SI nValeur = 42 ALORS sRésultat += " (la réponse)"
    if nValeur == 42:
        sRésultat += " (la réponse)"
    # RENVOYER sRésultat
    return sRésultat


# PROCEDURE Signe(n)
def Signe(n):
    # if n > 0 then result "+" else result "-"
    if n > 0:
        return "+"
    else:
        return "-"


def main():
    pass


if __name__ == "__main__":
    main()
