// QUAND EXCEPTION DANS ... FAIRE, CAS EXCEPTION:, UTILISER ... DANS
PROCEDURE Essaie()
QUAND EXCEPTION DANS
	Trace("avant")
	ExceptionDéclenche(1, "raté")
FAIRE
	Trace("attrapée")
FIN
Trace("fin")
CAS EXCEPTION:
	Trace("exception de la procédure")

PROCEDURE Protégé(csVerrou)
UTILISER csVerrou DANS
	Trace("dans la section")
FIN
