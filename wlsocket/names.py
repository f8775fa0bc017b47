"""Every WLangage name the package offers, declared once.

Each row is (French name with accents, English name, Python object).  The
unaccented French spelling is derived, so ``SocketCrée``, ``SocketCree`` and
``SocketCreate`` are the same function; :mod:`wlsocket` also resolves any
case and accent variant (``wlsocket.socketcree``) as WLangage does.
A row whose English name is ``None`` has no English spelling of its own.

To find where a WLangage function lives, read its row: the object's module
is its Python home.

This is one module of more than 500 lines on purpose: it is one table (and
the lookup that reads it), and "declared once" means one place to read,
check for clashes and generate the docs from.

After adding or changing a row, run ``python -m wlsocket.docgen``: the
table of docs/porting-guide.md is generated from these rows and a test
fails while it is stale.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from . import codecs, dispatcher, errors
from .api import common, tcp
from .api import ssl as ssl_api
from .api import udp as udp_api
from .api import websocket as websocket_api
from .api import websocket_server as websocket_server_api
from .transports import base
from .webdev import client as webdev_client
from .webdev import functions as webdev_functions
from .wlangage import arrays as wl_arrays
from .wlangage import buffers as wl_buffers
from .wlangage import console as wl_console
from .wlangage import conversions as wl_conv
from .wlangage import dates as wl_dates
from .wlangage import exceptions as wl_exc
from .wlangage import files as wl_files
from .wlangage import hashes as wl_hashes
from .wlangage import jsonvalue as wl_json
from .wlangage import mainthread as wl_main
from .wlangage import modal as wl_modal
from .wlangage import program as wl_program
from .wlangage import strings as wl_strings
from .wlangage import sync as wl_sync
from .wlangage import system as wl_system
from .wlangage import texts as wl_texts
from .wlangage import threads as wl_threads
from .wlangage import utf8 as wl_utf8
from .wlangage import winregistry as wl_reg
from .wlangage import xmldoc as wl_xml

Row = tuple[str, str | None, Any]

SOCKET_FUNCTIONS: list[Row] = [
    # WLangage                       English                           Python
    ("SocketCrée", "SocketCreate", tcp.socket_create),
    ("SocketAttendConnexion", "SocketWaitForConnection", tcp.socket_wait_for_connection),
    ("SocketAccepte", "SocketAccept", tcp.socket_accept),
    ("SocketRefuse", "SocketDeny", tcp.socket_deny),
    ("SocketConnecte", "SocketConnect", tcp.socket_connect),
    ("SocketLit", "SocketRead", common.socket_read),
    ("SocketEcrit", "SocketWrite", common.socket_write),
    ("SocketExiste", "SocketExist", common.socket_exists),
    ("SocketFerme", "SocketClose", common.socket_close),
    ("SocketChangeModeTransmission", "SocketChangeTransmissionMode", common.socket_change_transmission_mode),
    ("SocketClientInfo", None, common.socket_client_info),
    # wlsocket extension
    ("SocketTailleMaxMessage", "SocketMaxMessageSize", common.socket_set_max_message_size),
]

SOCKET_CONSTANTS: list[Row] = [
    ("SocketMarqueurFin", "SocketEndTag", codecs.END_TAG),
    ("SocketTailleDébut", "SocketSizeAtBeginning", codecs.SIZE_PREFIX),
    ("SocketMarqueurFinBuffer", "SocketEndTagBuffer", codecs.END_TAG_BUFFER),
    ("SocketSansMarqueurFin", "SocketNoEndTag", codecs.NO_END_TAG),
    ("SocketAdresse", "SocketAddress", base.SOCKET_ADDRESS),
    ("SocketPort", None, base.SOCKET_PORT),
    # wlsocket extension
    ("SocketWebSocket", None, common.SOCKET_WEBSOCKET),
]

ERROR_NAMES: list[Row] = [
    ("ErreurInfo", "ErrorInfo", errors.error_info),
    ("ErreurDétectée", "ErrorOccurred", errors.error_detected),
    ("errMessage", None, errors.ERR_MESSAGE),
    ("errCode", None, errors.ERR_CODE),
    ("errFonction", "errFunction", errors.ERR_FUNCTION),
    ("errCodeSystème", "errSystemCode", errors.ERR_SYSTEM_CODE),
    ("errMessageSystème", "errSystemMessage", errors.ERR_SYSTEM_MESSAGE),
    ("errComplet", "errFullDetails", errors.ERR_FULL_DETAILS),
]

HELPER_FUNCTIONS: list[Row] = [
    ("ThreadExécute", "ThreadExecute", wl_threads.thread_execute),
    ("ThreadAttend", "ThreadWait", wl_threads.thread_wait),
    ("Multitâche", "Multitask", wl_threads.multitask),
    ("Trace", None, wl_console.trace),
    ("Info", None, wl_console.info),
    ("Erreur", "Error", wl_console.error),
    ("ChaîneConstruit", "StringBuild", wl_strings.string_build),
    ("ChaîneOccurrence", "StringCount", wl_strings.string_count),
    ("ExtraitChaîne", "ExtractString", wl_strings.extract_string),
    ("ChaîneVersTableau", "StringToArray", wl_strings.string_to_array),
    ("Majuscule", "Upper", wl_strings.upper),
    ("SansEspace", "NoSpace", wl_strings.no_space),
    ("Droite", "Right", wl_strings.right),
    ("Gauche", "Left", wl_strings.left),
    ("Milieu", "Middle", wl_strings.middle),
    ("Taille", "Length", wl_strings.length),
    ("Asc", None, wl_strings.asc),
    ("Caract", "Charact", wl_strings.charact),
    ("UTF8VersAnsi", "UTF8ToAnsi", wl_utf8.utf8_to_ansi),
    ("AnsiVersUTF8", "AnsiToUTF8", wl_utf8.ansi_to_utf8),
    ("ChaîneVersUTF8", "StringToUTF8", wl_utf8.string_to_utf8),
    ("UTF8VersChaîne", "UTF8ToString", wl_utf8.utf8_to_string),
    ("HashChaîne", "HashString", wl_hashes.hash_string),
    ("Crypte", "Crypt", wl_hashes.crypt),
    ("Décrypte", "Decrypt", wl_hashes.decrypt),
    ("Encode", None, wl_buffers.encode),
    ("Décode", "Decode", wl_buffers.decode),
    ("BufferVersHexa", "BufferToHexa", wl_buffers.buffer_to_hexa),
    ("HexaVersBuffer", "HexaToBuffer", wl_buffers.hexa_to_buffer),
    ("HexaVersEntier", "HexaToInt", wl_buffers.hexa_to_int),
    ("EntierVersHexa", "IntToHexa", wl_buffers.int_to_hexa),
    ("OUExclusifBinaire", "BinaryXOR", wl_buffers.binary_xor),
    ("OUBinaire", "BinaryOR", wl_buffers.binary_or),
    ("ETBinaire", "BinaryAND", wl_buffers.binary_and),
]

HELPER_CONSTANTS: list[Row] = [
    ("RC", "CR", wl_strings.RC),
    ("TAB", None, wl_strings.TAB),
    ("CRLF", None, wl_strings.CRLF),
    ("Vrai", None, wl_strings.Vrai),
    ("Faux", None, wl_strings.Faux),
    ("EOT", None, wl_strings.EOT),
    ("SansCasse", "IgnoreCase", wl_strings.IGNORE_CASE),
    ("MotComplet", "WholeWord", wl_strings.WHOLE_WORD),
    ("DepuisDébut", "FromBeginning", wl_strings.FROM_BEGINNING),
    ("DepuisFin", "FromEnd", wl_strings.FROM_END),
    ("sscDébut", None, wl_strings.NS_BEGINNING),
    ("sscFin", None, wl_strings.NS_END),
    ("sscExtérieur", None, wl_strings.NS_EXTERNAL),
    ("sscIntérieur", None, wl_strings.NS_INTERNAL),
    ("SansRegroupement", "NoGrouping", wl_buffers.NO_GROUPING),
    ("SansLigne", "NoLine", wl_buffers.NO_LINE),
    ("BigEndian", None, wl_buffers.BIG_ENDIAN),
    ("encodeAucun", "encodeNone", wl_buffers.ENCODE_NONE),
    ("encodeBASE64", None, wl_buffers.ENCODE_BASE64),
    ("encodeBASE64SansRC", None, wl_buffers.ENCODE_BASE64_NO_CR),
    ("encodeBASE64URL", None, wl_buffers.ENCODE_BASE64_URL),
    ("crypteAucun", "cryptNone", wl_hashes.CRYPT_NONE),
    ("crypteRapide", "cryptFast", wl_hashes.CRYPT_FAST),
    ("crypteSécurisé", "cryptSecure", wl_hashes.CRYPT_SECURE),
    ("compresseAucun", "compressNone", wl_hashes.COMPRESS_NONE),
    *[(algorithm.name, None, algorithm) for algorithm in wl_hashes.HashAlgorithm],
    ("threadNormal", None, wl_threads.THREAD_NORMAL),
    ("threadAttendDémarrage", "threadWaitStart", wl_threads.THREAD_WAIT_START),
    ("threadSectionCritique", "threadCriticalSection", wl_threads.THREAD_CRITICAL_SECTION),
    ("threadSécurisé", "threadSecure", wl_threads.THREAD_SECURE),
    ("threadContexteGlobal", "threadGlobalContext", wl_threads.THREAD_GLOBAL_CONTEXT),
]

SECURE_AND_UDP_FUNCTIONS: list[Row] = [
    ("SocketCréeSSL", "SocketCreateSSL", ssl_api.socket_create_ssl),
    ("SocketConnecteSSL", "SocketConnectSSL", ssl_api.socket_connect_ssl),
    ("SocketCréeUDP", "SocketCreateUDP", udp_api.socket_create_udp),
    # wlsocket extension
    ("SocketDossierCertificats", "SocketCertificateFolder", ssl_api.socket_certificate_folder),
]

SECURE_CONSTANTS: list[Row] = [
    ("ProtocoleSSL2", "ProtocolSSL2", ssl_api.PROTOCOL_SSL2),
    ("ProtocoleSSL3", "ProtocolSSL3", ssl_api.PROTOCOL_SSL3),
    ("ProtocoleTLS1", "ProtocolTLS1", ssl_api.PROTOCOL_TLS1),
    ("ProtocoleTLS1_1", "ProtocolTLS1_1", ssl_api.PROTOCOL_TLS1_1),
    ("ProtocoleTLS1_2", "ProtocolTLS1_2", ssl_api.PROTOCOL_TLS1_2),
    ("ProtocoleTLS1_3", "ProtocolTLS1_3", ssl_api.PROTOCOL_TLS1_3),
    ("NomCertificat", "CertificateName", ssl_api.CERTIFICATE_NAME),
    ("HashCertificat", "CertificateHash", ssl_api.CERTIFICATE_HASH),
]

#: The SocketWebSocket mode (server side); see docs/websocket-server.md.
WEBSOCKET_SERVER_NAMES: list[Row] = [
    # wlsocket extension
    ("SocketWebSocketEntête", "SocketWebSocketHeader", websocket_server_api.socket_websocket_header),
    ("SocketOptionsWebSocket", "SocketWebSocketOptions", websocket_server_api.WebSocketOptions),
    ("SocketWebSocketFerme", "SocketWebSocketClose", websocket_server_api.socket_websocket_close),
    # SocketClientInfo types (wlsocket extension)
    ("SocketWebSocketChemin", "SocketWebSocketPath", base.SOCKET_WS_PATH),
    ("SocketWebSocketProtocole", "SocketWebSocketProtocol", base.SOCKET_WS_SUBPROTOCOL),
    ("SocketWebSocketEntêtes", "SocketWebSocketHeaders", base.SOCKET_WS_HEADERS),
    ("SocketWebSocketOrigine", "SocketWebSocketOrigin", base.SOCKET_WS_ORIGIN),
]

WEBSOCKET_CLIENT_FUNCTIONS: list[Row] = [
    ("WebSocketClientConnecte", "WebSocketClientConnect", websocket_api.websocket_client_connect),
    ("WebSocketClientConnecteSSL", "WebSocketClientConnectSSL", websocket_api.websocket_client_connect_ssl),
    # wlsocket extension
    ("WebSocketIntervallePing", "WebSocketPingInterval", websocket_api.websocket_ping_interval),
]

#: nEvénement of a WebSocket procedure; the values are wlsocket's (see wlsocket.dispatcher).
WEBSOCKET_EVENTS: list[Row] = [
    ("SocketOuverture", "SocketOpening", dispatcher.SOCKET_OPENING),
    ("SocketMessage", None, dispatcher.SOCKET_MESSAGE),
    ("SocketFermeture", "SocketClosing", dispatcher.SOCKET_CLOSING),
    ("SocketErreur", "SocketError", dispatcher.SOCKET_ERROR),
]

#: Types for translated code (properties: see wlsocket.wlangage.properties).
WLANGAGE_TYPES: list[Row] = [
    ("Tableau", "Array", wl_arrays.Tableau),
    ("JSON", None, wl_json.JSON),
    ("Variant", None, wl_json.Variant),
]

ARRAY_FUNCTIONS: list[Row] = [
    ("TableauAjoute", "ArrayAdd", wl_arrays.array_add),
    ("Ajoute", "Add", wl_arrays.array_add),
    ("TableauInsère", "ArrayInsert", wl_arrays.array_insert),
    ("Insère", "Insert", wl_arrays.array_insert),
    ("TableauSupprime", "ArrayDelete", wl_arrays.array_delete),
    ("Supprime", "Delete", wl_arrays.array_delete),
    ("TableauSupprimeTout", "ArrayDeleteAll", wl_arrays.array_delete_all),
    ("SupprimeTout", "DeleteAll", wl_arrays.array_delete_all),
    ("TableauCherche", "ArraySeek", wl_arrays.array_seek),
    ("TableauTrie", "ArraySort", wl_arrays.array_sort),
    ("TableauOccurrence", "ArrayCount", wl_arrays.array_count),
    ("Dimension", None, wl_arrays.dimension),
    ("Enfile", "Enqueue", wl_arrays.enqueue),
    ("Défile", "Dequeue", wl_arrays.dequeue),
    ("Empile", "Push", wl_arrays.push),
    ("Dépile", "Pop", wl_arrays.pop),
]

ARRAY_CONSTANTS: list[Row] = [
    ("tcLinéaire", "asLinear", wl_arrays.AS_LINEAR),
    ("tcLinéairePremier", "asLinearFirst", wl_arrays.AS_LINEAR_FIRST),
    ("tcLinéaireDernier", "asLinearLast", wl_arrays.AS_LINEAR_LAST),
    ("tcLinéaireSuivant", "asLinearNext", wl_arrays.AS_LINEAR_NEXT),
    ("tcLinéairePrécédent", "asLinearPrevious", wl_arrays.AS_LINEAR_PREVIOUS),
    ("tcDichotomique", "asBinary", wl_arrays.AS_BINARY),
    ("ttCroissant", "asAscending", wl_arrays.AS_ASCENDING),
    ("ttDécroissant", "asDescending", wl_arrays.AS_DESCENDING),
    ("ttAléatoire", "asRandom", wl_arrays.AS_RANDOM),
]

JSON_FUNCTIONS: list[Row] = [
    ("JSONVersVariant", "JSONToVariant", wl_json.json_to_variant),
    ("VariantVersJSON", "VariantToJSON", wl_json.variant_to_json),
    ("JSONValide", "JSONValid", wl_json.json_valid),
]

CONVERSION_NAMES: list[Row] = [
    ("Val", None, wl_conv.val),
    ("NumériqueVersChaîne", "NumToString", wl_conv.num_to_string),
    ("TypeVar", None, wl_conv.type_var),
    ("wlBooléen", "wlBoolean", wl_conv.WL_BOOLEAN),
    ("wlEntier", "wlInt", wl_conv.WL_INTEGER),
    ("wlRéel", "wlReal", wl_conv.WL_REAL),
    ("wlChaîne", "wlString", wl_conv.WL_STRING),
    ("wlBuffer", None, wl_conv.WL_BUFFER),
    ("wlDate", None, wl_conv.WL_DATE),
    ("wlHeure", "wlTime", wl_conv.WL_TIME),
    ("wlDateHeure", "wlDateTime", wl_conv.WL_DATETIME),
    ("wlDurée", "wlDuration", wl_conv.WL_DURATION),
    ("wlTableau", "wlArray", wl_conv.WL_ARRAY),
    ("wlTableauAssociatif", "wlAssociativeArray", wl_conv.WL_ASSOCIATIVE_ARRAY),
    ("wlInstance", None, wl_conv.WL_OBJECT),
    ("wlJSON", None, wl_conv.WL_JSON),
    ("wlVariant", None, wl_conv.WL_VARIANT),
    ("wlProcédure", "wlProcedure", wl_conv.WL_PROCEDURE),
    ("wlTypeInconnu", "wlUnknownType", wl_conv.WL_UNKNOWN),
    # wlsocket extension
    ("wlNull", None, wl_conv.WL_NULL),
]

SYSTEM_NAMES: list[Row] = [
    ("DonneUUID", "GetUUID", wl_system.get_uuid),
    ("DonneGUID", "GetGUID", wl_system.get_guid),
    ("guidBrut", "guidRaw", wl_system.GUID_RAW),
    ("guidFormaté", "guidFormatted", wl_system.GUID_FORMATTED),
    ("NetAdresseIP", "NetIPAddress", wl_system.net_ip_address),
    ("NetNomMachine", "NetMachineName", wl_system.net_machine_name),
    ("RéseauUtilisateur", "NetworkUser", wl_system.network_user),
    ("SysEnvironnement", "SysEnvironment", wl_system.sys_environment),
    ("Hasard", "Random", wl_system.random_number),
    ("InitHasard", "InitRandom", wl_system.init_random),
    ("Ping", None, wl_system.ping),
]

THREAD_FUNCTIONS: list[Row] = [
    ("ThreadPause", None, wl_threads.thread_pause),
    ("Temporisation", "Delay", wl_threads.temporisation),
    ("ThreadDemandeArrêt", "ThreadRequestStop", wl_threads.thread_request_stop),
    ("ThreadArrêtDemandé", "ThreadStopRequested", wl_threads.thread_stop_requested),
    ("ThreadCourant", "ThreadCurrent", wl_threads.thread_current),
    ("ThreadEtat", "ThreadState", wl_threads.thread_state),
    ("ThreadMode", None, wl_threads.thread_mode),
    ("ThreadArrête", "ThreadStop", wl_threads.thread_stop),
    ("ThreadEnvoieSignal", "ThreadSendSignal", wl_threads.thread_send_signal),
    ("ThreadAttendSignal", "ThreadWaitSignal", wl_threads.thread_wait_signal),
    ("ThreadPriorité", "ThreadPriority", wl_threads.thread_priority),
    ("Thread", None, wl_threads.Thread),
    ("threadInexistant", "threadInexistent", wl_threads.THREAD_MISSING),
    ("threadEnCours", "threadInProgress", wl_threads.THREAD_RUNNING),
    ("threadSuspendu", "threadSuspended", wl_threads.THREAD_SUSPENDED),
]

SYNC_NAMES: list[Row] = [
    ("SignalCrée", "SignalCreate", wl_sync.signal_create),
    ("SignalModifie", "SignalModify", wl_sync.signal_modify),
    ("SignalAttend", "SignalWait", wl_sync.signal_wait),
    ("SignalDétruit", "SignalDestroy", wl_sync.signal_destroy),
    ("signalOuvert", "signalOpen", wl_sync.SIGNAL_OPEN),
    ("signalFermé", "signalClosed", wl_sync.SIGNAL_CLOSED),
    ("signalManuel", "signalManual", wl_sync.SIGNAL_MANUAL),
    ("signalAutomatique", "signalAutomatic", wl_sync.SIGNAL_AUTOMATIC),
    ("SémaphoreCrée", "SemaphoreCreate", wl_sync.semaphore_create),
    ("SémaphoreDébut", "SemaphoreStart", wl_sync.semaphore_start),
    ("SémaphoreFin", "SemaphoreEnd", wl_sync.semaphore_end),
    ("SémaphoreDétruit", "SemaphoreDestroy", wl_sync.semaphore_destroy),
    ("MutexCrée", "MutexCreate", wl_sync.mutex_create),
    ("MutexDébut", "MutexStart", wl_sync.mutex_start),
    ("MutexFin", "MutexEnd", wl_sync.mutex_end),
    ("MutexDétruit", "MutexDestroy", wl_sync.mutex_destroy),
    ("SectionCritiqueDébut", "CriticalSectionStart", wl_sync.critical_section_start),
    ("SectionCritiqueFin", "CriticalSectionEnd", wl_sync.critical_section_end),
    ("SectionCritique", "CriticalSection", wl_sync.SectionCritique),
]

MAIN_THREAD_NAMES: list[Row] = [
    ("ExécuteThreadPrincipal", "ExecuteMainThread", wl_main.execute_main_thread),
    ("TimerSys", None, wl_main.system_timer),
    ("FinTimerSys", "EndTimerSys", wl_main.end_system_timer),
    # wlsocket extension
    ("thread_principal", "main_thread", wl_main.thread_principal),
]

DATE_FUNCTIONS: list[Row] = [
    ("DateSys", None, wl_dates.date_sys),
    ("HeureSys", "TimeSys", wl_dates.time_sys),
    ("DateHeureSys", "SysDateTime", wl_dates.date_time_sys),
    ("Maintenant", "Now", wl_dates.now),
    ("DateDuJour", "Today", wl_dates.today),
    ("DateVersChaîne", "DateToString", wl_dates.date_to_string),
    ("HeureVersChaîne", "TimeToString", wl_dates.time_to_string),
    ("DateValide", "DateValid", wl_dates.date_valid),
    ("DateVersEntier", "DateToInteger", wl_dates.date_to_integer),
    ("EntierVersDate", "IntegerToDate", wl_dates.integer_to_date),
    ("EntierVersJour", "IntegerToDay", wl_dates.integer_to_day),
    ("EntierVersJourEnLettre", "IntegerToDayInAlpha", wl_dates.integer_to_day_in_alpha),
    ("DateVersJourEnLettre", "DateToDayInAlpha", wl_dates.date_to_day_in_alpha),
    ("DateDifférence", "DateDifference", wl_dates.date_difference),
    ("HeureVersEntier", "TimeToInteger", wl_dates.time_to_integer),
    ("EntierVersHeure", "IntegerToTime", wl_dates.integer_to_time),
]

EXCEPTION_NAMES: list[Row] = [
    ("ExceptionDéclenche", "ExceptionThrow", wl_exc.exception_throw),
    ("ExceptionInfo", None, wl_exc.exception_info),
    ("ErreurDéclenche", "ErrorThrow", wl_exc.error_throw),
]

MORE_STRING_NAMES: list[Row] = [
    ("Position", None, wl_texts.position),
    ("Remplace", "Replace", wl_texts.replace),
    ("ChaîneFormate", "StringFormat", wl_texts.string_format),
    ("RépèteChaîne", "RepeatString", wl_texts.repeat_string),
    ("AnsiVersUnicode", "AnsiToUnicode", wl_texts.ansi_to_unicode),
    ("UnicodeVersAnsi", "UnicodeToAnsi", wl_texts.unicode_to_ansi),
    ("VérifieExpressionRégulière", "MatchRegularExpression", wl_texts.match_regular_expression),
    ("Compresse", "Compress", wl_texts.compress),
    ("Décompresse", "Uncompress", wl_texts.uncompress),
    ("Décrypte", "Uncrypt", wl_hashes.decrypt),  # the older English name
    ("ccMajuscule", "ccUpCase", wl_texts.CC_UPPER),
    ("ccMinuscule", "ccLowCase", wl_texts.CC_LOWER),
    ("ccSansAccent", "ccIgnoreAccent", wl_texts.CC_IGNORE_ACCENT),
    ("ccSansEspace", "ccIgnoreSpace", wl_texts.CC_IGNORE_SPACE),
    ("ccSansPonctuationEtEspace", "ccIgnorePunctuationAndSpace", wl_texts.CC_IGNORE_PUNCTUATION_AND_SPACE),
]

FILE_NAMES: list[Row] = [
    ("fOuvre", "fOpen", wl_files.f_open),
    ("fFerme", "fClose", wl_files.f_close),
    ("fLit", "fRead", wl_files.f_read),
    ("fLitLigne", "fReadLine", wl_files.f_read_line),
    ("fEcrit", "fWrite", wl_files.f_write),
    ("fEcritLigne", "fWriteLine", wl_files.f_write_line),
    ("fPositionne", "fSeek", wl_files.f_seek),
    ("fRepExe", "fExeDir", wl_files.f_exe_dir),
    ("fRepEnCours", "fCurrentDir", wl_files.f_current_dir),
    ("fSep", None, wl_files.f_sep),
    ("ComplèteRep", "CompleteDir", wl_files.complete_dir),
    ("fExtraitChemin", "fExtractPath", wl_files.f_extract_path),
    ("fRepCrée", "fMakeDir", wl_files.f_make_dir),
    ("fListeFichier", "fListFile", wl_files.f_list_file),
    ("fFichierExiste", "fFileExist", wl_files.f_file_exist),
    ("fSupprime", "fDelete", wl_files.f_delete),
    ("fSauveTexte", "fSaveText", wl_files.f_save_text),
    ("fChargeTexte", "fLoadText", wl_files.f_load_text),
    ("fDisqueInfo", "fDriveInfo", wl_files.f_drive_info),
    ("SysRep", "SysDir", wl_files.sys_dir),
    ("INILit", "INIRead", wl_files.ini_read),
    ("INIEcrit", "INIWrite", wl_files.ini_write),
    ("zipCrée", "zipCreate", wl_files.zip_create),
    ("zipAjouteFichier", "zipAddFile", wl_files.zip_add_file),
    ("zipFerme", "zipClose", wl_files.zip_close),
    ("foLecture", "foRead", wl_files.FO_READ),
    ("foEcriture", "foWrite", wl_files.FO_WRITE),
    ("foLectureEcriture", "foReadWrite", wl_files.FO_READ_WRITE),
    ("foCréation", "foCreate", wl_files.FO_CREATE),
    ("foCréationSiInexistant", "foCreateIfNotFound", wl_files.FO_CREATE_IF_NOT_FOUND),
    ("foAjout", "foAdd", wl_files.FO_ADD),
    ("fpDébut", "fpBeginning", wl_files.FP_BEGINNING),
    ("fpCourant", "fpCurrent", wl_files.FP_CURRENT),
    ("fpFin", "fpEnd", wl_files.FP_END),
    ("fDisque", "fDrive", wl_files.F_DRIVE),
    ("fRépertoire", "fDirectory", wl_files.F_DIRECTORY),
    ("fFichier", "fFileName", wl_files.F_FILE_NAME),
    ("fExtension", None, wl_files.F_EXTENSION),
    ("srMesDocuments", "srMyDocuments", wl_files.SR_MY_DOCUMENTS),
    ("srAppDataLocal", "srLocalAppData", wl_files.SR_LOCAL_APP_DATA),
    ("srAppData", None, wl_files.SR_APP_DATA),
    ("srTemp", None, wl_files.SR_TEMP),
    ("zipAucun", "zipNone", wl_files.ZIP_NONE),
]

XML_NAMES: list[Row] = [
    ("XMLOuvre", "XMLOpen", wl_xml.xml_open),
    ("XMLSauve", "XMLSave", wl_xml.xml_save),
    ("xmlDocument", None, wl_xml.XMLDocument),
    ("depuisFichier", "fromFile", wl_xml.FROM_FILE),
    ("depuisChaîne", "fromString", wl_xml.FROM_STRING),
]

REGISTRY_NAMES: list[Row] = [
    ("RegistreLit", "RegistryQueryValue", wl_reg.registry_query_value),
    ("RegistreEcrit", "RegistrySetValue", wl_reg.registry_set_value),
    ("RegistreCréeClé", "RegistryCreateKey", wl_reg.registry_create_key),
    ("RegistreSupprimeClé", "RegistryDeleteKey", wl_reg.registry_delete_key),
    ("RegistreExiste", "RegistryExist", wl_reg.registry_exist),
    ("RegistrePremièreSousClé", "RegistryFirstSubKey", wl_reg.registry_first_sub_key),
    ("RegistreCléSuivante", "RegistryNextKey", wl_reg.registry_next_key),
]

PROGRAM_NAMES: list[Row] = [
    ("EnModeTest", "InTestMode", wl_program.in_test_mode),
    ("EnModeTestAutomatique", "InAutomaticTestMode", wl_program.in_automatic_test_mode),
    ("EnModePocket", "InPocketMode", wl_program.in_pocket_mode),
    ("ProjetInfo", "ProjectInfo", wl_program.project_info),
    ("ExeInfo", None, wl_program.exe_info),
    ("FinProgramme", "EndProgram", wl_program.end_program),
    ("dbgAssert", None, wl_program.dbg_assert),
    ("RéseauNomRep", "NetworkDirName", wl_program.network_dir_name),
    ("TestEcritRésultat", "TestWriteResult", wl_program.test_write_result),
    ("twrInfo", None, wl_program.TWR_INFO),
    ("twrErreur", "twrError", wl_program.TWR_ERROR),
    ("piNomProjet", "piProjectName", wl_program.PI_PROJECT_NAME),
    ("piConfiguration", None, wl_program.PI_CONFIGURATION),
    ("exeNom", "exeName", wl_program.EXE_NAME),
    ("exeVersion", None, wl_program.EXE_VERSION),
    ("EvénementCrée", "EventCreate", wl_program.event_create),
    ("EvénementModifie", "EventChange", wl_program.event_change),
    ("EvénementAttend", "EventWait", wl_program.event_wait),
    ("EvénementDétruit", "EventDestroy", wl_program.event_destroy),
    ("événementManuel", "eventManual", wl_program.EVENT_MANUAL),
    ("événementAutomatique", "eventAutomatic", wl_program.EVENT_AUTOMATIC),
    ("événementOuvert", "eventOpen", wl_program.EVENT_OPEN),
    ("événementFermé", "eventClose", wl_program.EVENT_CLOSE),
]

#: What translated code (wl2py) needs beyond WLangage; see docs/translator.md.
TRANSLATED_CODE_NAMES: list[Row] = [
    # wlsocket extension: a modal Info/Erreur box in a script (the user reading it)
    ("AttenteModale", "ModalWait", wl_modal.modal_wait),
]

#: A WEBDEV "WebSocket server" project (python -m wlsocket.serveur_websocket);
#: see docs/webdev-websocket-server.md.
WEBDEV_WEBSOCKET_SERVER: list[Row] = [
    ("WebSocketListeClientConnecté", "WebSocketListConnectedClient", webdev_functions.list_connected_clients),
    ("WebSocketExécute", "WebSocketExecute", webdev_functions.websocket_execute),
    ("WebSocketEnvoie", "WebSocketSend", webdev_functions.websocket_send),
    ("websocketClient", None, webdev_client.WebSocketClient),
]

#: Every table, in the order the documentation lists them.
TABLES: dict[str, list[Row]] = {
    "Sockets": SOCKET_FUNCTIONS,
    "Socket constants": SOCKET_CONSTANTS,
    "Errors": ERROR_NAMES,
    "Secure and UDP sockets": SECURE_AND_UDP_FUNCTIONS,
    "Secure socket constants": SECURE_CONSTANTS,
    "WLangage helpers": HELPER_FUNCTIONS,
    "WLangage helper constants": HELPER_CONSTANTS,
    "WebSocket server": WEBSOCKET_SERVER_NAMES,
    "WebSocket client": WEBSOCKET_CLIENT_FUNCTIONS,
    "WebSocket events": WEBSOCKET_EVENTS,
    "WLangage types": WLANGAGE_TYPES,
    "Arrays": ARRAY_FUNCTIONS,
    "Array constants": ARRAY_CONSTANTS,
    "JSON and Variant": JSON_FUNCTIONS,
    "Conversions": CONVERSION_NAMES,
    "System": SYSTEM_NAMES,
    "Threads": THREAD_FUNCTIONS,
    "Synchronisation": SYNC_NAMES,
    "Main thread and timers": MAIN_THREAD_NAMES,
    "Dates and times": DATE_FUNCTIONS,
    "Exceptions": EXCEPTION_NAMES,
    "More string functions": MORE_STRING_NAMES,
    "Files, INI and zip": FILE_NAMES,
    "XML documents": XML_NAMES,
    "Registry": REGISTRY_NAMES,
    "The program": PROGRAM_NAMES,
    "Translated code": TRANSLATED_CODE_NAMES,
    "WEBDEV WebSocket server": WEBDEV_WEBSOCKET_SERVER,
}


def strip_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def lookup_key(name: str) -> str:
    """The key under which WLangage identifiers compare: no accents, no case."""
    return strip_accents(name).casefold()


def spellings(row: Row) -> list[str]:
    french, english, _ = row
    names = [french, strip_accents(french)]
    if english:
        names.append(english)
    return list(dict.fromkeys(names))


def build_namespace() -> dict[str, Any]:
    """Every spelling of every row -> its object."""
    namespace: dict[str, Any] = {}
    for table in TABLES.values():
        for row in table:
            for spelling in spellings(row):
                if spelling in namespace and namespace[spelling] is not row[2]:
                    raise RuntimeError(f"two rows claim the name {spelling}")
                namespace[spelling] = row[2]
    return namespace
