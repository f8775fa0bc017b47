"""A throw-away certificate for 127.0.0.1, for the TLS examples (not a WLangage example).

WINDEV finds a server certificate in the Windows certificate store; the
examples make one in a temporary folder instead, with the ``trustme``
package when it is installed (the tests' choice) or the ``openssl``
command.  Returns the folder, the PEM file (certificate + key), the file
a client must trust, and the SHA-1 thumbprint WINDEV would show.
"""

from __future__ import annotations

import hashlib
import shutil
import ssl
import subprocess
from pathlib import Path


def thumbprint(pem_file: Path) -> str:
    """The SHA-1 thumbprint of the first certificate of a PEM file, as Windows shows it."""
    text = pem_file.read_text(encoding="ascii")
    start = text.index("-----BEGIN CERTIFICATE-----")
    end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
    der = ssl.PEM_cert_to_DER_cert(text[start:end])
    return hashlib.sha1(der).hexdigest().upper()


def make_certificate(folder: Path) -> tuple[Path, Path, str]:
    """(server PEM with its key, PEM to trust, thumbprint) for 127.0.0.1, written in ``folder``."""
    server_pem = folder / "serveur.pem"
    trust_pem = folder / "autorite.crt.txt"  # not *.pem/*.crt: the lookup folder holds server certificates only
    try:
        import trustme
    except ImportError:
        trustme = None
    if trustme is not None:
        authority = trustme.CA()
        authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(server_pem))
        authority.cert_pem.write_to_path(str(trust_pem))
    else:
        openssl = shutil.which("openssl")
        if openssl is None:
            raise RuntimeError("neither trustme nor openssl is available to make a certificate")
        key, cert = folder / "cle.key.txt", folder / "cert.txt"
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        server_pem.write_text(cert.read_text() + key.read_text())
        trust_pem.write_text(cert.read_text())
        key.unlink()
        cert.unlink()
    return server_pem, trust_pem, thumbprint(server_pem)
