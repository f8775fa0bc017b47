"""Translated from english.wl by wlsocket.translate (wl2py); WLangage lines kept as comments."""

from wlsocket import *  # noqa: F403


# // English keywords
# PROCEDURE Describe(n is int)
def Describe(n):
    # s is string
    s = ""
    # IF n > 1 AND NOT n = 3 THEN
    if n > 1 and not n == 3:
        # s = "many"
        s = "many"
    # ELSE IF n = 1 THEN
    elif n == 1:
        # s = "one"
        s = "one"
    # ELSE
    else:
        # s = "none"
        s = "none"
    # END
    # FOR EACH STRING sPart OF "x,y" SEPARATED BY ","
    for sPart in ("x,y").split(","):
        # s += sPart
        s += sPart
    # END
    # SWITCH n
    # CASE 7: s += "!"
    if n == 7:
        s += "!"
    # OTHER CASE
    else:
        pass
    # END
    # RESULT s
    return s


def main():
    pass


if __name__ == "__main__":
    main()
