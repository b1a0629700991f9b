"""The type stubs name every class and function of the native module."""

import ast
import pathlib

import secret_ballot as sb
from secret_ballot import _native

STUB = pathlib.Path(sb.__file__).with_name("_native.pyi")


def test_stubs_cover_the_native_module():
    tree = ast.parse(STUB.read_text())
    stubbed = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    stubbed |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    public = {name for name in dir(_native) if not name.startswith("_")}
    assert public <= stubbed, public - stubbed
    for cls in ("Manifest", "Trustee", "Issuer", "IssuanceClient", "VoterCredential", "EncryptedBallot", "BallotBox", "RecordWriter", "PaperCount"):
        native = getattr(_native, cls)
        (stub,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
        methods = {n.name for n in stub.body if isinstance(n, ast.FunctionDef)}
        missing = {m for m in dir(native) if not m.startswith("_")} - methods
        assert not missing, (cls, missing)
        assert native.__doc__, cls
