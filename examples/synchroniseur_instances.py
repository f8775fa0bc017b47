"""Several instances of one program keep a shared table in step, with no fixed server.

The pattern of production-table synchronisers written in WLangage: the first
instance to start creates the socket and becomes the server; the next ones
find the port taken and connect to it.  The server runs a thread that waits
for connections and a thread per client; a semaphore guards its list of
clients and another the table.  Every change is sent to the server, which
applies it and passes it to every other client.  When the server leaves, the
clients see their connection close and hold an election: the first one to
create the socket again is the new server, the others connect to it.
Stopping is a stop request (ThreadDemandeArrêt) that every loop tests.

Written for wlsocket in WLangage style (procedure names, Vrai/Faux); the
messages are "MAJ;<clé>;<valeur>" in the default SocketTailleDébut mode.

Run three terminals:  python examples/synchroniseur_instances.py A
                      python examples/synchroniseur_instances.py B
                      python examples/synchroniseur_instances.py C
then type "clé=valeur" lines in any of them; stop one with Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
import threading

from wlsocket import *  # noqa: F403

PORT = 5710
ADRESSE = "127.0.0.1"


class Instance:
    """One instance of the program (in WLangage: the globals of its project)."""

    def __init__(self, nom: str, port: int = PORT) -> None:
        self.nom, self.port = nom, port
        self.gbServeur = Faux
        self.gtabValeurs: dict[str, str] = {}
        self.gtabClients = Tableau()  # channels of the clients (server role)
        self.sSocketServeur = f"{nom}_ecoute"
        self.sSocketClient = f"{nom}_client"
        self.bArrete = Faux
        self.nRoles = 0  # how many times this instance became server or client
        self._changement = threading.Condition()  # for attend_valeur / attend_role (tests, console)
        SemaphoreCree(f"{nom}_clients", 1)
        SemaphoreCree(f"{nom}_valeurs", 1)

    # --- start, election --------------------------------------------------------

    def pDemarre(self) -> bool:
        # SI SocketCrée(sSocketServeur, nPort, ADRESSE) ALORS ... SINON SocketConnecte(...)
        ThreadExecute(f"{self.nom}_election", threadNormal, self.pElection)
        return Vrai

    def pElection(self) -> None:
        """Become the server, or connect to the one that exists; again after it leaves."""
        while not ThreadArretDemande():
            if SocketCree(self.sSocketServeur, self.port, ADRESSE):
                self.gbServeur = Vrai
                self._nouveau_role()
                Trace(f"{self.nom}: je suis le serveur")
                self.pAttenteConnexions()  # returns on a stop request
                return
            if SocketConnecte(self.sSocketClient, self.port, ADRESSE, 1000):
                self.gbServeur = Faux
                self._nouveau_role()
                Trace(f"{self.nom}: connecté au serveur")
                self.pEcouteServeur()  # returns when the server leaves, or on a stop request
                if SocketExiste(self.sSocketClient):
                    SocketFerme(self.sSocketClient)
                continue  # the server left: new election
            ThreadPause(Hasard(1, 5))  # another instance is being elected: try again soon

    # --- server role ------------------------------------------------------------------

    def pAttenteConnexions(self) -> None:
        while not ThreadArretDemande():
            if not SocketAttendConnexion(self.sSocketServeur, 100):
                continue
            sCanal = SocketAccepte(self.sSocketServeur)
            if sCanal == "":
                continue
            SemaphoreDebut(f"{self.nom}_clients")
            TableauAjoute(self.gtabClients, sCanal)
            SemaphoreFin(f"{self.nom}_clients")
            # the newcomer gets the whole table first
            SemaphoreDebut(f"{self.nom}_valeurs")
            for sCle, sValeur in self.gtabValeurs.items():
                SocketEcrit(sCanal, f"MAJ;{sCle};{sValeur}")
            SemaphoreFin(f"{self.nom}_valeurs")
            ThreadExecute(f"{self.nom}_canal_{sCanal}", threadNormal, self.pCanal, sCanal)
        self.pFermeServeur()

    def pCanal(self, sCanal: str) -> None:
        """One thread per client: apply its changes and pass them on."""
        while not ThreadArretDemande():
            sMessage = SocketLit(sCanal, Faux, 100)
            if sMessage == "":
                if ErreurInfo(errCode) == "SOCKET_FERMEE":
                    break  # the client left (SocketExiste would still say Vrai)
                continue
            self.pApplique(sMessage)
            self.pDiffuse(sMessage, sCanal)
        SemaphoreDebut(f"{self.nom}_clients")
        nIndice = TableauCherche(self.gtabClients, tcLineaire, sCanal)
        if nIndice != -1:
            TableauSupprime(self.gtabClients, nIndice)
            SocketFerme(sCanal)
        SemaphoreFin(f"{self.nom}_clients")

    def pDiffuse(self, sMessage: str, sSauf: str = "") -> None:
        SemaphoreDebut(f"{self.nom}_clients")
        for sCanal in self.gtabClients:
            if sCanal != sSauf:
                SocketEcrit(sCanal, sMessage)
        SemaphoreFin(f"{self.nom}_clients")

    def pFermeServeur(self) -> None:
        # no new client first (one could connect to a server that is leaving),
        # then each channel thread stops, closes its channel and leaves the list;
        # the clients see SOCKET_FERMEE and elect a new server
        SocketFerme(self.sSocketServeur)
        SemaphoreDebut(f"{self.nom}_clients")
        tabCanaux = Tableau(self.gtabClients)
        SemaphoreFin(f"{self.nom}_clients")
        for sCanal in tabCanaux:
            ThreadDemandeArret(f"{self.nom}_canal_{sCanal}")
        for sCanal in tabCanaux:
            ThreadArrete(f"{self.nom}_canal_{sCanal}", 500)

    # --- client role ------------------------------------------------------------------

    def pEcouteServeur(self) -> None:
        while not ThreadArretDemande():
            sMessage = SocketLit(self.sSocketClient, Faux, 100)
            if sMessage == "":
                if ErreurInfo(errCode) == "SOCKET_FERMEE":
                    return
                continue
            self.pApplique(sMessage)

    # --- the table ----------------------------------------------------------------------

    def pApplique(self, sMessage: str) -> None:
        sType, sCle, sValeur = ExtraitChaine(sMessage, 1, ";"), ExtraitChaine(sMessage, 2, ";"), \
            ExtraitChaine(sMessage, 3, ";")
        if sType != "MAJ" or sCle is EOT or sValeur is EOT:
            return
        SemaphoreDebut(f"{self.nom}_valeurs")
        self.gtabValeurs[sCle] = sValeur
        SemaphoreFin(f"{self.nom}_valeurs")
        with self._changement:
            self._changement.notify_all()

    def Modifie(self, sCle: str, sValeur: str) -> bool:
        """A change made by this instance's user: applied here, then sent on."""
        sMessage = f"MAJ;{sCle};{sValeur}"
        self.pApplique(sMessage)
        if self.gbServeur:
            self.pDiffuse(sMessage)
            return Vrai
        # QUAND EXCEPTION DANS SocketEcrit(...) FAIRE RENVOYER Faux   (an election is under way)
        try:
            return SocketEcrit(self.sSocketClient, sMessage)
        except WLangageError:
            return Faux

    def _nouveau_role(self) -> None:
        with self._changement:
            self.nRoles += 1
            self._changement.notify_all()

    def attend_role(self, nRoles: int, delai_s: float) -> bool:
        """True once this instance has become server or client nRoles times."""
        with self._changement:
            return self._changement.wait_for(lambda: self.nRoles >= nRoles, delai_s)

    def attend_valeur(self, sCle: str, sValeur: str, delai_s: float) -> bool:
        """True once the table holds sCle=sValeur (at most delai_s seconds)."""
        with self._changement:
            return self._changement.wait_for(lambda: self.gtabValeurs.get(sCle) == sValeur, delai_s)

    # --- stop -----------------------------------------------------------------------------

    def pArrete(self) -> bool:
        """Stop request to the election thread, which stops the others; True once all ended."""
        if self.bArrete:
            return Vrai
        self.bArrete = Vrai
        bArrete = ThreadArrete(f"{self.nom}_election", 1000)
        SemaphoreDetruit(f"{self.nom}_clients")
        SemaphoreDetruit(f"{self.nom}_valeurs")
        return bArrete


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nom")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args(argv)
    instance = Instance(args.nom, args.port)
    instance.pDemarre()
    try:
        for ligne in sys.stdin:
            if "=" in ligne:
                cle, valeur = ligne.strip().split("=", 1)
                instance.Modifie(cle, valeur)
            print(instance.gtabValeurs)
    except KeyboardInterrupt:
        pass
    instance.pArrete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
