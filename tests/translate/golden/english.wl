// English keywords
PROCEDURE Describe(n is int)
s is string
IF n > 1 AND NOT n = 3 THEN
	s = "many"
ELSE IF n = 1 THEN
	s = "one"
ELSE
	s = "none"
END
FOR EACH STRING sPart OF "x,y" SEPARATED BY ","
	s += sPart
END
SWITCH n
	CASE 7: s += "!"
	OTHER CASE
END
RESULT s
