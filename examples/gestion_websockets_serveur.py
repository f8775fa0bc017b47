"""The WINDEV WebSocket server of the page "Gestion des WebSockets", ported line by line.

Each WLangage line is kept as a comment above its Python translation, so the
two can be compared.  The original writes the WebSocket protocol by hand over
a raw socket (SocketSansMarqueurFin): it reads the HTTP upgrade request,
answers with Sec-WebSocket-Accept = Base64(SHA-1(key + GUID)), then unmasks
each frame and answers with a JSON (or XML) text frame.

The port keeps the original's logic, including its bugs; each one is marked
"BUG (original)" where it sits.  In short: one SocketLit is taken to be one
frame, the 16/64-bit payload lengths are parsed but never used, a reply of
65,536 bytes or more gets a wrong length, and control frames (ping, close)
are answered as if they were text.  For a correct server in a few lines, see
gestion_websockets_serveur_moderne.py (the SocketWebSocket mode).

Run:  python examples/gestion_websockets_serveur.py [--port 5001]
then open a page whose script does new WebSocket("ws://127.0.0.1:5001", ["json"]).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wlsocket import *  # noqa: F403
from wlsocket.wlangage import affecte_sous_chaine, sous_chaine  # the [[ ]] operator

# Code de la procédure locale : Ecoute des messages envoyés par le client socket.

# PROCEDURE pServeurSocketEcoute()
def pServeurSocketEcoute(nPort: int = 5001, sAdresse: str = "127.0.0.1") -> bool:
    """Start the server (returns at once; the listening runs in a thread).

    Differs from the original: the port and the address are parameters (the
    original listens on 5001 on every interface; the port listens on
    loopback unless told otherwise), and it returns whether the socket was
    created so that a caller can stop on failure.
    """

    # ENTETE_WEBSOCKET_CLIENT est une chaîne = "Sec-WebSocket-Key: "
    ENTETE_WEBSOCKET_CLIENT = "Sec-WebSocket-Key: "
    # ENTETE_WEBSOCKET_PROTOCOL est une chaîne = "Sec-WebSocket-Protocol: "
    ENTETE_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol: "

    # -----------------------------------------------------------
    # Procédure appelée dans le thread d'écoute
    # PROCEDURE INTERNE ProcédureAttente()
    def ProcédureAttente() -> None:
        # Boucle sans fin afin d'attendre une connexion d'un client.
        # Dès qu'un client se connecte, un thread est lancé afin de gérer
        # les messages arrivants (ProcédureGestion).
        # BOUCLE
        while True:
            # Multitâche(0)
            Multitâche(0)
            # SI SocketAttendConnexion("Serveur") ALORS
            # Differs: the original loops until the program ends; here the
            # loop ends once pServeurArrete has closed "Serveur" (waiting on
            # a socket that no longer exists is a fatal error).
            try:
                bDemande = SocketAttendConnexion("Serveur")
            except WLangageError:
                break
            if bDemande:
                # Canal est une chaîne
                # Canal = SocketAccepte("Serveur")
                Canal = SocketAccepte("Serveur")
                # SocketChangeModeTransmission(Canal, SocketSansMarqueurFin)
                SocketChangeModeTransmission(Canal, SocketSansMarqueurFin)
                # ThreadExécute(Canal, threadNormal, ProcédureGestion, Canal)
                ThreadExécute(Canal, threadNormal, ProcédureGestion, Canal)
            # FIN
        # FIN

    # --------------------------------------------------------------
    # Code de la procédure de gestion des messages arrivants
    # PROCEDURE INTERNE ProcédureGestion(Canal)
    def ProcédureGestion(Canal: str) -> None:
        # sRequête est une chaîne ANSI
        sRequête = ""
        # tabProtocol est un tableau de chaînes
        tabProtocol: list[str] = []
        # sRes est une chaîne
        sRes = ""
        # sProtocol est une chaîne = "JSON"
        sProtocol = "JSON"

        # Lecture de la socket jusqu'à avoir la séquence de terminaison d'un message
        # Dans notre cas, 2 RC qui se suivent
        # TANTQUE ChaîneOccurrence(sRequête, RC + RC) = 0
        while ChaîneOccurrence(sRequête, RC + RC) == 0:
            # sRequête += SocketLit(Canal)
            sMorceau = SocketLit(Canal)
            # Differs: the original loops forever (at full speed) when the
            # client leaves before the end of its request; the port stops.
            if sMorceau == "" and ErreurDétectée:
                SocketFerme(Canal)
                return
            sRequête += sMorceau
        # FIN

        # Traitement de la requête qui arrive: on analyse la chaîne
        # sClé est une chaîne ANSI
        sClé = ""
        # POUR TOUTE CHAÎNE sLigne DE sRequête SEPAREE PAR RC
        for sLigne in sRequête.split(RC):
            # Trace(sLigne)
            Trace(sLigne)
            # SI sLigne [=  ENTETE_WEBSOCKET_CLIENT ALORS      ([= : "commence par")
            if sLigne.startswith(ENTETE_WEBSOCKET_CLIENT):
                # sCle = sLigne[[Taille(ENTETE_WEBSOCKET_CLIENT)+1 A]]
                # (sCle and sClé are one variable: WLangage ignores accents in names)
                sClé = sous_chaine(sLigne, Taille(ENTETE_WEBSOCKET_CLIENT) + 1, None)
            # SINON SI sLigne [= ENTETE_WEBSOCKET_PROTOCOL
            elif sLigne.startswith(ENTETE_WEBSOCKET_PROTOCOL):
                # Récupération des protocoles
                # ChaîneVersTableau(ExtraitChaîne(sLigne, 2, ":"), tabProtocol, ",")
                ChaîneVersTableau(ExtraitChaîne(sLigne, 2, ":"), tabProtocol, ",")
            # FIN
        # FIN

        # Préparation de la réponse à envoyer au client
        # sRes = [
        # 	HTTP/1.1 101 Web Socket Protocol Handshake
        # 	Upgrade: websocket
        # 	Connection: Upgrade
        # 	WebSocket-Origin: <AdresseIPServeur>
        # 	WebSocket-Location: ws://<AdresseIPServeur>:5001
        # 	Sec-WebSocket-Accept: %1
        # 	]
        # (a multi-line chaîne: its lines are joined by RC, without a final RC)
        sRes = RC.join(
            [
                "HTTP/1.1 101 Web Socket Protocol Handshake",
                "Upgrade: websocket",
                "Connection: Upgrade",
                f"WebSocket-Origin: {sAdresse}",
                f"WebSocket-Location: ws://{sAdresse}:{nPort}",
                "Sec-WebSocket-Accept: %1",
            ]
        )
        # SI tabProtocol..Occurrence <> 0 ALORS
        if len(tabProtocol) != 0:
            # sRes += [RC] + "Sec-WebSocket-Protocol: %2"
            sRes += RC + "Sec-WebSocket-Protocol: %2"
            # sProtocol = Majuscule(SansEspace(tabProtocol[1]))
            sProtocol = Majuscule(SansEspace(tabProtocol[0]))
            # sRes = ChaîneConstruit(sRes, Crypte(HashChaîne(HA_SHA_160,
            # sClé + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), "",
            # compresseAucun, encodeBASE64), sProtocol + RC + RC)
            #
            # Differs: the original sends back sProtocol, upper-cased ("JSON")
            # although the browser asked for "json"; browsers and the
            # websockets package then refuse the connection (the answered
            # subprotocol must be one of those asked, compared exactly).
            # The port answers the protocol as the client spelled it and
            # keeps the upper-cased sProtocol for the SELON below.
            sRes = ChaîneConstruit(
                sRes,
                Crypte(
                    HashChaîne(HA_SHA_160, sClé + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                    "",
                    compresseAucun,
                    encodeBASE64,
                ),
                SansEspace(tabProtocol[0]) + RC + RC,
            )
        # SINON
        else:
            # sRes = ChaîneConstruit(sRes, Crypte(HashChaîne(HA_SHA_160,
            # sClé + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), "",
            # compresseAucun, encodeBASE64) + RC + RC)
            sRes = ChaîneConstruit(
                sRes,
                Crypte(
                    HashChaîne(HA_SHA_160, sClé + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                    "",
                    compresseAucun,
                    encodeBASE64,
                )
                + RC
                + RC,
            )
        # FIN

        # Envoi la réponse au client
        # SocketEcrit(Canal, sRes)
        SocketEcrit(Canal, sRes)

        # BOUCLE
        while True:
            # bufFrame est un Buffer = SocketLit(Canal)
            # BUG (original): one SocketLit is taken to be exactly one frame;
            # two frames in one TCP read are answered as one, a frame split
            # across reads is answered in pieces.
            bufFrame = Buffer(SocketLit(Canal))
            # SI 0 = Taille(bufFrame) ALORS
            if 0 == Taille(bufFrame):  # noqa: SIM300 - the original's order
                # Trace("Break")
                Trace("Break")
                # BREAK
                break
            # FIN

            # nLongueurFrame est un entier = Asc(bufFrame[[2]]) & 127
            nLongueurFrame = Asc(sous_chaine(bufFrame, 2)) & 127
            # bufMasque est un Buffer
            bufMasque = Buffer()
            # bufDonne est un Buffer
            bufDonne = Buffer()
            # SI 126 = nLongueurFrame ALORS
            if 126 == nLongueurFrame:  # noqa: SIM300 - the original's order
                # nLongueurFrame = HexaVersEntier(
                # 	BufferVersHexa(bufFrame[[3 sur 2]])) //BufferVersEntier(bufFrame, 3, 2)
                # BUG (original): the length read here is never used: the
                # payload is "everything after the mask", whatever arrived.
                nLongueurFrame = HexaVersEntier(BufferVersHexa(sous_chaine(bufFrame, 3, sur=2)))
                # bufMasque = bufFrame[[5 A 8]]
                bufMasque = sous_chaine(bufFrame, 5, 8)
                # bufDonne = bufFrame[[9 A]]
                bufDonne = sous_chaine(bufFrame, 9, None)
            # SINON SI 127 = nLongueurFrame ALORS
            elif 127 == nLongueurFrame:  # noqa: SIM300 - the original's order
                # nLongueurFrame = HexaVersEntier(BufferVersHexa(bufFrame[[3 sur 8]]))
                # BUG (original): a 64-bit length does not fit the 32-bit
                # entier (and, as above, the length is not used anyway).
                nLongueurFrame = HexaVersEntier(BufferVersHexa(sous_chaine(bufFrame, 3, sur=8)))
                # bufMasque = bufFrame[[11 A 14]]
                bufMasque = sous_chaine(bufFrame, 11, 14)
                # bufDonne = bufFrame[[15 A]]
                bufDonne = sous_chaine(bufFrame, 15, None)
            # SINON
            else:
                # bufMasque = bufFrame[[3 A 6]]
                bufMasque = sous_chaine(bufFrame, 3, 6)
                # bufDonne = bufFrame[[7 A]]
                bufDonne = sous_chaine(bufFrame, 7, None)
            # FIN
            # sTexte est une chaîne ANSI
            sTexte = ""
            # POUR i = 1 _A_ Taille(bufDonne)
            for i in range(1, Taille(bufDonne) + 1):
                # sTexte += Caract(OUExclusifBinaire(
                # Asc(bufDonne[[i]]), Asc(bufMasque[[(i - 1) modulo 4 + 1]])))
                sTexte += Caract(
                    OUExclusifBinaire(Asc(sous_chaine(bufDonne, i)), Asc(sous_chaine(bufMasque, (i - 1) % 4 + 1)))
                )
            # FIN
            # Trace(UTF8VersAnsi(sTexte))
            Trace(UTF8VersAnsi(sTexte))

            # Formatage de la réponse
            # SELON sProtocol
            # 	CAS "XML"
            if sProtocol == "XML":
                # sRes = [
                # 	<XML status="ok">
                # 	%1
                # 	</XML>
                # ]
                sRes = RC.join(['<XML status="ok">', "%1", "</XML>"])
            # 	CAS "JSON"
            elif sProtocol == "JSON":
                # sRes = [
                # 	{ "status" : "ok",
                # 	"reponse": "%1" }
                # ]
                sRes = RC.join(['{ "status" : "ok",', '"reponse": "%1" }'])
            # 	AUTRE CAS
            else:
                # sRes = ChaîneVersUTF8("Format non supporté !")
                sRes = ChaîneVersUTF8("Format non supporté !")
            # FIN
            # sRes = ChaîneConstruit(sRes, sTexte)
            sRes = ChaîneConstruit(sRes, sTexte)

            # nLongueurRéponse est un entier = Taille(sRes)
            nLongueurRéponse = Taille(sRes)
            # bufRéponse est un Buffer
            bufRéponse = Buffer()
            # bufRéponse[[1]] = Caract(OUBinaire(0x80, ETBinaire(0x1, 0xF)))
            # (a Python Buffer is immutable: assigning through [[ ]] returns the new value)
            bufRéponse = affecte_sous_chaine(bufRéponse, 1, Caract(OUBinaire(0x80, ETBinaire(0x1, 0xF))))
            # SI nLongueurRéponse <= 125 ALORS
            if nLongueurRéponse <= 125:
                # bufRéponse[[2]] = Caract(nLongueurRéponse)
                bufRéponse = affecte_sous_chaine(bufRéponse, 2, Caract(nLongueurRéponse))
            # SINON SI nLongueurRéponse <= 65536 ALORS
            # BUG (original): 65,536 does not fit in 16 bits (the limit is 65,535).
            elif nLongueurRéponse <= 65536:
                # bufRéponse[[2]] = Caract(126)
                bufRéponse = affecte_sous_chaine(bufRéponse, 2, Caract(126))
                # // Manque l'écriture de la longueur
                # bufRéponse += HexaVersBuffer(Droite(EntierVersHexa(nLongueurRéponse), 4))
                bufRéponse += HexaVersBuffer(Droite(EntierVersHexa(nLongueurRéponse), 4))
            # SINON
            else:
                # bufRéponse[[2]] = Caract(127)
                bufRéponse = affecte_sous_chaine(bufRéponse, 2, Caract(127))
                # // Manque l'écriture de la longueur
                # bufRéponse += HexaVersBuffer(EntierVersHexa(nLongueurRéponse))
                # BUG (original): RFC 6455 wants 8 length bytes here; 4 are written.
                bufRéponse += HexaVersBuffer(EntierVersHexa(nLongueurRéponse))
            # FIN
            # SocketEcrit(Canal, bufRéponse + sRes)
            SocketEcrit(Canal, bufRéponse + sRes)
        # FIN
        # Differs: the original never closes the channel; the port does, so
        # that nothing is left open when the client has gone.
        if SocketExiste(Canal):
            SocketFerme(Canal)

    # Création du serveur de sockets pour effectuer l'écoute des messages arrivants
    # SI SocketCrée("Serveur", 5001) = Faux ALORS
    if SocketCrée("Serveur", nPort, sAdresse) == Faux:
        # Erreur("Erreur de création " + ErreurInfo(errMessage))
        Erreur("Erreur de création " + ErreurInfo(errMessage))
        return False
    # SINON
    else:
        # Process (ou thread) d'écoute des messages
        # Ce traitement est exécuté en tâche de fond
        # On écoute en permanence car on ne sait pas quand un message arrive
        # ThreadExécute("Thread1", threadNormal, ProcédureAttente)
        ThreadExécute("Thread1", threadNormal, ProcédureAttente)
    # FIN
    return True


def pServeurArrete(nAttenteMax: str = "10 s") -> bool:
    """Stop the server (not in the original, which runs until the program ends).

    Closing "Serveur" ends SocketAttendConnexion in the listening thread,
    which then leaves its loop; channel threads end when their client goes.
    Returns whether the listening thread has ended within ``nAttenteMax``.
    """
    if SocketExiste("Serveur"):
        SocketFerme("Serveur")
    return ThreadAttend("Thread1", nAttenteMax)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The WINDEV WebSocket server of 'Gestion des WebSockets'.")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--address", default="127.0.0.1")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _console import serve_until_interrupted

    return serve_until_interrupted(pServeurSocketEcoute, pServeurArrete, args.port, args.address)


if __name__ == "__main__":
    sys.exit(main())
