"""Translated from exceptions.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


# // QUAND EXCEPTION DANS ... FAIRE, CAS EXCEPTION:, UTILISER ... DANS
# PROCEDURE Essaie()
def Essaie():
    try:
        # QUAND EXCEPTION DANS
        try:
            # Trace("avant")
            Trace("avant")
            # ExceptionDéclenche(1, "raté")
            ExceptionDéclenche(1, "raté")
        # FAIRE
        except Exception:
            # Trace("attrapée")
            Trace("attrapée")
        # FIN
        # Trace("fin")
        Trace("fin")
    # CAS EXCEPTION:
    except Exception:
        # Trace("exception de la procédure")
        Trace("exception de la procédure")


# PROCEDURE Protégé(csVerrou)
def Protégé(csVerrou):
    # UTILISER csVerrou DANS
    with csVerrou:
        # Trace("dans la section")
        Trace("dans la section")
    # FIN


def main():
    pass


if __name__ == "__main__":
    main()
