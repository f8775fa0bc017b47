// GLOBAL section, CONSTANT block, a procedure assigning a global, procedures passed as values
GLOBAL
	gnAppels est un entier = 0
CONSTANT
	PORT_DÉFAUT = 5001
	NOM_SERVEUR = "Serveur"
FIN
LOCAL
Appelle(Incrémente)
Appelle(Incrémente)
Trace(gnAppels, PORT_DÉFAUT, NOM_SERVEUR)

PROCEDURE Incrémente()
gnAppels += 1

PROCEDURE Appelle(pProcédure)
pProcédure()
