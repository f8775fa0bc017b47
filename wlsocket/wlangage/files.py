"""Files, folders, INI files and zip archives, as socket programs use them.

fOuvre gives a file number (-1 and ErreurInfo on failure); fLit, fLitLigne,
fEcrit, fEcritLigne, fPositionne and fFerme take it.  A file's chaînes are
written and read in the current string encoding (``"ansi"`` by default), so
the bytes match what a WINDEV ANSI program writes; lines end with CR LF.
fLitLigne returns :data:`EOT` at the end of the file.

Paths use this system's separator (fSep); the drive part of fExtraitChemin
is "" outside Windows.  SysRep maps WLangage's folders to their usual
places under the user's home (XDG on Linux).
"""

from __future__ import annotations

import configparser
import glob
import os
import shutil
import sys
import threading
import zipfile
from pathlib import Path
from typing import IO

from ..errors import raise_error, wlangage_function
from ..values import to_bytes, to_text
from ._types import bad_type, need_int, raw_bytes
from .strings import EOT

__all__ = [
    "f_open", "f_close", "f_read", "f_read_line", "f_write", "f_write_line", "f_seek", "f_exe_dir",
    "f_extract_path", "f_sep", "f_make_dir", "f_list_file", "f_save_text", "f_load_text", "f_file_exist",
    "f_delete", "f_current_dir", "f_drive_info", "complete_dir", "sys_dir", "ini_read", "ini_write",
    "zip_create", "zip_add_file", "zip_close",
]

# fOuvre modes (values are wlsocket's own), combinable with +.
FO_READ = 1  # foLecture
FO_WRITE = 2  # foEcriture
FO_READ_WRITE = 3  # foLectureEcriture
FO_CREATE = 4  # foCréation: create or empty
FO_CREATE_IF_NOT_FOUND = 8  # foCréationSiInexistant
FO_ADD = 16  # foAjout: write at the end
# fPositionne origins.
FP_BEGINNING = 0  # fpDébut
FP_CURRENT = 1  # fpCourant
FP_END = 2  # fpFin
# fExtraitChemin parts, combinable with +.
F_DRIVE = 1  # fDisque
F_DIRECTORY = 2  # fRépertoire
F_FILE_NAME = 4  # fFichier
F_EXTENSION = 8  # fExtension
# SysRep folders.
SR_MY_DOCUMENTS = 1  # srMesDocuments
SR_LOCAL_APP_DATA = 2  # srAppDataLocal
SR_APP_DATA = 3  # srAppData
SR_TEMP = 4  # srTemp (wlsocket: the system's temporary folder)
ZIP_NONE = 0  # zipAucun: no option

_files: dict[int, IO[bytes]] = {}
_files_lock = threading.Lock()
_next_id = [1]


def _path(value: object, where: str) -> str:
    if isinstance(value, Path):
        return str(value)
    if not isinstance(value, str) or not value or "\0" in value:
        bad_type(where, value)
    try:
        os.fsencode(value)
    except UnicodeError:
        raise_error("PARAMETRE_INVALIDE", f"{where}: {value!r} cannot be a file name here")
    return value


def _file(number: object, where: str) -> IO[bytes]:
    ident = need_int(number, where)
    with _files_lock:
        found = _files.get(ident)
    if found is None:
        raise_error("PARAMETRE_INVALIDE", f"{where}: {ident} is not an open file")
    return found


@wlangage_function("fOuvre", failure=-1)
def f_open(path: object, mode: object = FO_READ_WRITE) -> int:
    """fOuvre / fOpen(<Chemin>, <Mode>) -> the file number, or -1 + ErreurInfo.

    ``foLecture``, ``foEcriture``, ``foLectureEcriture`` (default),
    ``+ foCréation`` (create or empty), ``+ foCréationSiInexistant``,
    ``+ foAjout`` (writes go to the end)."""
    name = _path(path, "fOuvre #1")
    flags = need_int(mode, "fOuvre #2")
    if flags & FO_CREATE or flags & FO_CREATE_IF_NOT_FOUND and not os.path.exists(name):
        python_mode = "w+b"
    elif flags & FO_ADD:
        python_mode = "a+b"
    elif flags & FO_WRITE and not flags & FO_READ:
        python_mode = "r+b"
    else:
        python_mode = "r+b" if flags & FO_WRITE else "rb"
    try:
        handle = open(name, python_mode)  # noqa: SIM115 (closed by fFerme)
    except OSError as exc:
        raise_error("FICHIER_INACCESSIBLE", f"{name}: {exc.strerror}")
    with _files_lock:
        ident = _next_id[0]
        _next_id[0] += 1
        _files[ident] = handle
    return ident


def f_close(number: object) -> int:
    """fFerme / fClose(<Numéro de fichier>) -> 0."""
    handle = _file(number, "fFerme #1")
    with _files_lock:
        _files.pop(need_int(number, "fFerme #1"), None)
    handle.close()
    return 0


def f_read(number: object, size: object) -> str:
    """fLit / fRead(<Numéro de fichier>, <Nombre d'octets>) -> chaîne ("" at the end)."""
    return to_text(_file(number, "fLit #1").read(max(0, need_int(size, "fLit #2"))))


def f_read_line(number: object) -> object:
    """fLitLigne / fReadLine(<Numéro de fichier>) -> the next line without its
    CR LF (or LF), or EOT at the end of the file."""
    line = _file(number, "fLitLigne #1").readline()
    if not line:
        return EOT
    return to_text(line.rstrip(b"\n").rstrip(b"\r"))


def f_write(number: object, data: object, size: object = None) -> int:
    """fEcrit / fWrite(<Numéro de fichier>, <Chaîne ou Buffer> [, <Taille>]) -> bytes written."""
    raw = raw_bytes(data, "fEcrit #2")
    if size is not None:
        raw = raw[: max(0, need_int(size, "fEcrit #3"))]
    handle = _file(number, "fEcrit #1")
    handle.write(raw)
    handle.flush()
    return len(raw)


def f_write_line(number: object, data: object) -> int:
    """fEcritLigne / fWriteLine(<Numéro de fichier>, <Chaîne>): the chaîne and CR LF."""
    return f_write(number, raw_bytes(data, "fEcritLigne #2") + b"\r\n")


def f_seek(number: object, offset: object, origin: object = FP_BEGINNING) -> int:
    """fPositionne / fSeek(<Numéro>, <Position> [, fpDébut|fpCourant|fpFin]) -> the new position."""
    where = need_int(origin, "fPositionne #3")
    if where not in (FP_BEGINNING, FP_CURRENT, FP_END):
        raise_error("PARAMETRE_INVALIDE", f"fPositionne origin={where}")
    return _file(number, "fPositionne #1").seek(need_int(offset, "fPositionne #2"), where)


def f_exe_dir() -> str:
    """fRepExe / fExeDir(): the folder of the running program (its main script)."""
    main = sys.argv[0] if sys.argv and sys.argv[0] not in ("", "-c") else os.getcwd()
    return os.path.dirname(os.path.abspath(main))


def f_current_dir() -> str:
    """fRepEnCours / fCurrentDir(): the current folder."""
    return os.getcwd()


def f_sep() -> str:
    """fSep / fSep(): this system's path separator ("/" here, "\\" on Windows)."""
    return os.sep


def complete_dir(path: object) -> str:
    """ComplèteRep / CompleteDir(<Chemin>): the path with a final separator."""
    name = _path(path, "ComplèteRep #1")
    return name if name.endswith(os.sep) else name + os.sep


def f_extract_path(path: object, parts: object) -> str:
    """fExtraitChemin / fExtractPath(<Chemin>, <Éléments>): the parts asked
    for, joined: ``fDisque`` (drive), ``fRépertoire`` (folder, with its
    final separator), ``fFichier`` (name without extension), ``fExtension``
    (with its dot)."""
    name = _path(path, "fExtraitChemin #1")
    flags = need_int(parts, "fExtraitChemin #2")
    drive, rest = os.path.splitdrive(name)
    folder, file_name = os.path.split(rest)
    stem, extension = os.path.splitext(file_name)
    pieces = [
        drive if flags & F_DRIVE else "",
        (complete_dir(folder) if folder else "") if flags & F_DIRECTORY else "",
        stem if flags & F_FILE_NAME else "",
        extension if flags & F_EXTENSION else "",
    ]
    return "".join(pieces)


def f_make_dir(path: object) -> bool:
    """fRepCrée / fMakeDir(<Chemin>) -> booléen: creates the folder and its parents."""
    try:
        os.makedirs(_path(path, "fRepCrée #1"), exist_ok=True)
    except OSError:
        return False
    return True


def f_list_file(pattern: object, *options: object) -> str:
    """fListeFichier / fListFile(<Chemin et motif>) -> the matching files, full paths separated by CR LF.

    Differs: the form with a procedure called per file is not offered."""
    return "\r\n".join(sorted(p for p in glob.glob(_path(pattern, "fListeFichier #1")) if os.path.isfile(p)))


def f_file_exist(path: object) -> bool:
    """fFichierExiste / fFileExist(<Chemin>) -> booléen."""
    return os.path.exists(_path(path, "fFichierExiste #1"))


def f_delete(path: object) -> bool:
    """fSupprime / fDelete(<Chemin>) -> booléen."""
    try:
        os.remove(_path(path, "fSupprime #1"))
    except OSError:
        return False
    return True


def f_save_text(path: object, text: object) -> bool:
    """fSauveTexte / fSaveText(<Chemin>, <Chaîne>) -> booléen (the file is replaced)."""
    try:
        Path(_path(path, "fSauveTexte #1")).write_bytes(raw_bytes(text, "fSauveTexte #2"))
    except OSError:
        return False
    return True


def f_load_text(path: object) -> str:
    """fChargeTexte / fLoadText(<Chemin>) -> chaîne ("" when it cannot be read)."""
    try:
        return to_text(Path(_path(path, "fChargeTexte #1")).read_bytes())
    except OSError:
        return ""


def f_drive_info(path: object, *info: object) -> int:
    """fDisqueInfo / fDriveInfo(<Chemin>) -> the free space in bytes.

    Differs: the other kinds of information are not offered."""
    try:
        return shutil.disk_usage(_path(path, "fDisqueInfo #1")).free
    except OSError:
        return -1


def sys_dir(folder: object) -> str:
    """SysRep / SysDir(<Répertoire>): ``srMesDocuments``, ``srAppDataLocal``,
    ``srAppData``, ``srTemp``; their usual places on this system."""
    kind = need_int(folder, "SysRep #1")
    home = Path.home()
    if kind == SR_MY_DOCUMENTS:
        return str(home / "Documents")
    if kind == SR_LOCAL_APP_DATA:
        return os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    if kind == SR_APP_DATA:
        return os.environ.get("APPDATA") or os.environ.get("XDG_CONFIG_HOME") or str(home / ".config")
    if kind == SR_TEMP:
        import tempfile

        return tempfile.gettempdir()
    raise_error("PARAMETRE_INVALIDE", f"SysRep folder={kind}")


# --- INI files ---------------------------------------------------------------------


def _ini(path: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, delimiters=("=",), comment_prefixes=(";", "#"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    if os.path.exists(path):
        parser.read_string(to_text(Path(path).read_bytes()))
    return parser


def _ini_place(section: object, key: object, path: object, function: str) -> tuple[str, str, str]:
    """The section, key and file of an INI call, or the fatal error."""
    if not isinstance(section, str):
        bad_type(f"{function} #1", section)
    if not isinstance(key, str):
        bad_type(f"{function} #2", key)
    return section, key, _path(path, f"{function} #4")


def ini_read(section: object, key: object, default: object, path: object) -> str:
    """INILit / INIRead(<Section>, <Mot-clé>, <Valeur par défaut>, <Fichier INI>) -> chaîne."""
    section, key, name = _ini_place(section, key, path, "INILit")
    try:
        parser = _ini(name)
    except (OSError, configparser.Error):
        return to_text(to_bytes(default))
    return parser.get(section, key, fallback=to_text(to_bytes(default)))


def ini_write(section: object, key: object, value: object, path: object) -> bool:
    """INIEcrit / INIWrite(<Section>, <Mot-clé>, <Valeur>, <Fichier INI>) -> booléen."""
    section, key, name = _ini_place(section, key, path, "INIEcrit")
    try:
        parser = _ini(name)
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, key, to_text(to_bytes(value)))
        lines = []
        for each in parser.sections():
            lines.append(f"[{each}]")
            lines.extend(f"{k}={v}" for k, v in parser.items(each))
            lines.append("")
        Path(name).write_bytes(to_bytes("\r\n".join(lines)))
    except (OSError, configparser.Error):
        return False
    return True


# --- zip archives ------------------------------------------------------------------

_archives: dict[str, zipfile.ZipFile] = {}


def zip_create(name: object, path: object) -> int:
    """zipCrée / zipCreate(<Nom de l'archive>, <Chemin du fichier>) -> 0, or an error code (not 0)."""
    if not isinstance(name, str) or not name:
        bad_type("zipCrée #1", name)
    try:
        _archives[name] = zipfile.ZipFile(_path(path, "zipCrée #2"), "w", zipfile.ZIP_DEFLATED)
    except OSError:
        return 1
    return 0


def zip_add_file(name: object, path: object, option: object = ZIP_NONE, stored_path: object = None) -> int:
    """zipAjouteFichier / zipAddFile(<Archive>, <Fichier> [, <Option> [, <Chemin stocké>]]) -> 0 or an error code."""
    archive = _archives.get(name) if isinstance(name, str) else None
    if archive is None:
        raise_error("PARAMETRE_INVALIDE", f"zipAjouteFichier: no archive {name!r}")
    source = _path(path, "zipAjouteFichier #2")
    try:
        archive.write(source, os.path.basename(source) if stored_path is None else str(stored_path))
    except OSError:
        return 1
    return 0


def zip_close(name: object) -> int:
    """zipFerme / zipClose(<Archive>) -> 0: writes and closes the archive."""
    archive = _archives.pop(name, None) if isinstance(name, str) else None
    if archive is None:
        raise_error("PARAMETRE_INVALIDE", f"zipFerme: no archive {name!r}")
    archive.close()
    return 0
