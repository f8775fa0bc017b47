"""Translated from globales.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403

# GLOBAL
# gnAppels est un entier = 0
gnAppels = 0
# CONSTANT
# PORT_DÉFAUT = 5001
PORT_DÉFAUT = 5001
# NOM_SERVEUR = "Serveur"
NOM_SERVEUR = "Serveur"
# FIN
# LOCAL


# PROCEDURE Incrémente()
def Incrémente():
    global gnAppels
    # gnAppels += 1
    gnAppels += 1


# PROCEDURE Appelle(pProcédure)
def Appelle(pProcédure):
    # pProcédure()
    pProcédure()


def main():
    # // GLOBAL section, CONSTANT block, a procedure assigning a global, procedures passed as values
    # Appelle(Incrémente)
    Appelle(Incrémente)
    # Appelle(Incrémente)
    Appelle(Incrémente)
    # Trace(gnAppels, PORT_DÉFAUT, NOM_SERVEUR)
    Trace(gnAppels, PORT_DÉFAUT, NOM_SERVEUR)


if __name__ == "__main__":
    main()
