"""Translated from compte.wdc by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


# CCompte est une Classe
class CCompte:
    def _wl_members(self):
        # m_sTitulaire est une chaîne
        # m_nSolde est un entier
        # FIN
        self.m_sTitulaire = ""
        self.m_nSolde = 0

    # PROCEDURE Constructeur(sTitulaire)
    def __init__(self, sTitulaire):
        self._wl_members()
        # :m_sTitulaire = sTitulaire
        self.m_sTitulaire = sTitulaire

    # PROCEDURE Dépose(nMontant est un entier)
    def Dépose(self, nMontant):
        # m_nSolde += nMontant
        self.m_nSolde += nMontant
        # RENVOYER :m_sTitulaire + " : " + m_nSolde
        return self.m_sTitulaire + " : " + str(self.m_nSolde)


def main():
    pass


if __name__ == "__main__":
    main()
