"""Electronic signatures (TTE): PAdES signing with a visible QR stamp, and verification."""

from .sign import default_output, sign_pdf
from .signer import Pkcs12Signer, Signer
from .verify import SignatureStatus, verdict, verify_pdf

__all__ = [
    "Pkcs12Signer", "SignatureStatus", "Signer", "default_output", "sign_pdf", "verdict",
    "verify_pdf",
]
