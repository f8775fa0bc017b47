"""Translated from divers.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403
from wlsocket.wlangage import thread_principal  # <thread principal>


# // <thread principal>, assignment by reference, PROCEDURE INTERNE written inside a block, ternary, DANS
# PROCEDURE MetÀJour(sTexte) <thread principal>
@thread_principal
def MetÀJour(sTexte):
    # Trace("principal : " + sTexte)
    Trace("principal : " + str(sTexte))


# PROCEDURE Choisis(n)
def Choisis(n):
    # PROCEDURE INTERNE Nomme(x)
    def Nomme(x):
        # RENVOYER "n" + x
        return "n" + str(x)
        # FIN
    # sNom est une chaîne
    sNom = ""
    # SI n > 0 ALORS
    if n > 0:
        pass
    # FIN
    # sNom <- Nomme(n)
    sNom = Nomme(n)
    # sÉtat est une chaîne = (n DANS (1, 2)) ? "petit" SINON "autre"
    sÉtat = ("petit" if n in (1, 2) else "autre")
    # RENVOYER sNom + " " + sÉtat
    return sNom + " " + sÉtat


def main():
    pass


if __name__ == "__main__":
    main()
