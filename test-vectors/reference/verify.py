#!/usr/bin/env python3
"""An independent verifier of test-vectors/v1, written from SPEC.md and the public
standards it cites (RFC 9496 for ristretto255, STROBE v1.0.2 and Merlin for
transcripts), in pure Python with no dependency and no code shared with the Rust crate.

It checks that SPEC.md says enough to verify everything the library publishes:
encodings, generators, ElGamal, every proof (and that every invalid case fails with the
named error), a credential, an issuance report, a threshold tally, and a complete
election record (SPEC.md §14: every check of §14.7, replayed on the valid record, its
closed stage and each tampered record of record.json).

Usage: python3 test-vectors/reference/verify.py     (prints "N passed, M failed")
"""

import hashlib
import json
import pathlib
import sys

VECTORS = pathlib.Path(__file__).resolve().parent.parent / "v1"

# ---------------------------------------------------------------- field and group (RFC 9496)

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
INVSQRT_A_MINUS_D = None  # computed below


class Reject(Exception):
    """A decoding failure (SPEC.md: error class "encoding")."""


def is_negative(x):
    return x % P & 1


def ct_abs(x):
    x %= P
    return (P - x) % P if is_negative(x) else x


def sqrt_ratio_m1(u, v):
    """RFC 9496 §4.2: (was_square, sqrt(u/v) or sqrt(i*u/v)), non-negative."""
    u %= P
    v %= P
    v3 = v * v % P * v % P
    v7 = v3 * v3 % P * v % P
    r = u * v3 % P * pow(u * v7 % P, (P - 5) // 8, P) % P
    check = v * r % P * r % P
    correct = check == u
    flipped = check == (-u) % P
    flipped_i = check == (-u) * SQRT_M1 % P
    r_prime = SQRT_M1 * r % P
    if flipped or flipped_i:
        r = r_prime
    return correct or flipped, ct_abs(r)


INVSQRT_A_MINUS_D = sqrt_ratio_m1(1, (-1 - D) % P)[1]

IDENTITY = (0, 1, 1, 0)


def add(p1, p2):
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * D * t1 * t2 % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def neg(p):
    x, y, z, t = p
    return ((-x) % P, y, z, (-t) % P)


def mul(k, p):
    k %= L
    acc = IDENTITY
    while k:
        if k & 1:
            acc = add(acc, p)
        p = add(p, p)
        k >>= 1
    return acc


def decode(b):
    """RFC 9496 §4.3.1."""
    if len(b) != 32:
        raise Reject("length")
    s = int.from_bytes(b, "little")
    if s >= P or is_negative(s):
        raise Reject("non-canonical or negative s")
    ss = s * s % P
    u1 = (1 - ss) % P
    u2 = (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 % P * u1) - u2_sqr) % P
    was_square, invsqrt = sqrt_ratio_m1(1, v * u2_sqr % P)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x % P * v % P
    x = ct_abs(2 * s * den_x)
    y = u1 * den_y % P
    t = x * y % P
    if not was_square or is_negative(t) or y == 0:
        raise Reject("not a valid encoding")
    return (x, y, 1, t)


def encode(p):
    """RFC 9496 §4.3.2."""
    x0, y0, z0, t0 = p
    u1 = (z0 + y0) * (z0 - y0) % P
    u2 = x0 * y0 % P
    _, invsqrt = sqrt_ratio_m1(1, u1 * u2 % P * u2 % P)
    den1 = invsqrt * u1 % P
    den2 = invsqrt * u2 % P
    z_inv = den1 * den2 % P * t0 % P
    ix0 = x0 * SQRT_M1 % P
    iy0 = y0 * SQRT_M1 % P
    enchanted_denominator = den1 * INVSQRT_A_MINUS_D % P
    rotate = is_negative(t0 * z_inv)
    x, y, den_inv = (iy0, ix0, enchanted_denominator) if rotate else (x0, y0, den2)
    if is_negative(x * z_inv):
        y = (-y) % P
    s = ct_abs(den_inv * ((z0 - y) % P))
    return s.to_bytes(32, "little")


def eq(p, q):
    return encode(p) == encode(q)


def map_to_point(t):
    """RFC 9496 §4.3.4 MAP."""
    r = SQRT_M1 * t % P * t % P
    u = (r + 1) * (1 - D * D) % P
    v = (-1 - r * D) * (r + D) % P
    was_square, s = sqrt_ratio_m1(u, v)
    s_prime = (-ct_abs(s * t)) % P
    if not was_square:
        s, c = s_prime, r
    else:
        c = P - 1
    n = (c * (r - 1) % P * ((D - 1) ** 2 % P) - v) % P
    w0 = 2 * s * v % P
    w1 = n * SQRT_AD_MINUS_ONE % P
    w2 = (1 - s * s) % P
    w3 = (1 + s * s) % P
    return (w0 * w3 % P, w2 * w1 % P, w1 * w3 % P, w0 * w2 % P)


# RFC 9496 §4.1 constants (the sign of SQRT_AD_MINUS_ONE matters for MAP).
SQRT_AD_MINUS_ONE = 25063068953384623474111414158702152701244531502492656460079210482610430750235
assert SQRT_AD_MINUS_ONE * SQRT_AD_MINUS_ONE % P == (-D - 1) % P


def from_uniform_bytes(b64):
    r0 = int.from_bytes(b64[:32], "little") & ((1 << 255) - 1)
    r1 = int.from_bytes(b64[32:], "little") & ((1 << 255) - 1)
    return add(map_to_point(r0 % P), map_to_point(r1 % P))


B = decode(bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"))


def scalar(b):
    if len(b) != 32:
        raise Reject("scalar length")
    s = int.from_bytes(b, "little")
    if s >= L:
        raise Reject("non-canonical scalar")
    return s


def point(b, nonidentity=False):
    p = decode(b)
    if nonidentity and b == bytes(32):
        raise Reject("identity")
    return p


# ---------------------------------------------------------------- Keccak, STROBE-128, Merlin

RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
M64 = (1 << 64) - 1


def keccak_f(state):
    a = [[int.from_bytes(state[8 * (x + 5 * y) : 8 * (x + 5 * y) + 8], "little") for y in range(5)] for x in range(5)]
    rot = lambda v, n: ((v << n) | (v >> (64 - n))) & M64 if n else v
    for rc in RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rot(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rot(a[x][y], ROT[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    out = bytearray(200)
    for x in range(5):
        for y in range(5):
            out[8 * (x + 5 * y) : 8 * (x + 5 * y) + 8] = a[x][y].to_bytes(8, "little")
    return out


class Strobe128:
    R = 166
    I, A, C, T, M, K = 1, 2, 4, 8, 16, 32

    def __init__(self, protocol_label):
        st = bytearray(200)
        st[0:6] = bytes([1, self.R + 2, 1, 0, 1, 96])
        st[6:18] = b"STROBEv1.0.2"  # 12 bytes: the 96 bits announced just before
        self.st = keccak_f(st)
        self.pos = 0
        self.pos_begin = 0
        self.cur_flags = 0
        self.meta_ad(protocol_label, False)

    def run_f(self):
        self.st[self.pos] ^= self.pos_begin
        self.st[self.pos + 1] ^= 0x04
        self.st[self.R + 1] ^= 0x80
        self.st = keccak_f(self.st)
        self.pos = 0
        self.pos_begin = 0

    def absorb(self, data):
        for byte in data:
            self.st[self.pos] ^= byte
            self.pos += 1
            if self.pos == self.R:
                self.run_f()

    def squeeze(self, n):
        out = bytearray()
        for _ in range(n):
            out.append(self.st[self.pos])
            self.st[self.pos] = 0
            self.pos += 1
            if self.pos == self.R:
                self.run_f()
        return bytes(out)

    def begin_op(self, flags, more):
        if more:
            assert self.cur_flags == flags
            return
        old_begin = self.pos_begin
        self.pos_begin = self.pos + 1
        self.cur_flags = flags
        self.absorb(bytes([old_begin, flags]))
        if flags & (self.C | self.K) and self.pos != 0:
            self.run_f()

    def meta_ad(self, data, more):
        self.begin_op(self.M | self.A, more)
        self.absorb(data)

    def ad(self, data, more):
        self.begin_op(self.A, more)
        self.absorb(data)

    def prf(self, n, more):
        self.begin_op(self.I | self.A | self.C, more)
        return self.squeeze(n)


class Transcript:
    """Merlin (SPEC.md §4.1)."""

    def __init__(self, label):
        self.strobe = Strobe128(b"Merlin v1.0")
        self.append(b"dom-sep", label)

    def append(self, label, message):
        self.strobe.meta_ad(label, False)
        self.strobe.meta_ad(len(message).to_bytes(4, "little"), True)
        self.strobe.ad(message, False)

    def append_u64(self, label, n):
        self.append(label, n.to_bytes(8, "little"))

    def challenge_bytes(self, label, n):
        self.strobe.meta_ad(label, False)
        self.strobe.meta_ad(n.to_bytes(4, "little"), True)
        return self.strobe.prf(n, False)

    def challenge_scalar(self, label):
        return int.from_bytes(self.challenge_bytes(label, 64), "little") % L

    def clone(self):
        """An independent copy (a ballot's proofs all extend one base transcript)."""
        s = Strobe128.__new__(Strobe128)
        s.st, s.pos, s.pos_begin, s.cur_flags = bytearray(self.strobe.st), self.strobe.pos, self.strobe.pos_begin, self.strobe.cur_flags
        t = Transcript.__new__(Transcript)
        t.strobe = s
        return t


def election_transcript(context):
    t = Transcript(b"secret-ballot-v1")
    t.append(b"election-context", context)
    return t


HASH_CONTEXT = b"SECRET-BALLOT-RISTRETTO255-SHA512-v1"


def hash_to_group(tag, message):
    digest = hashlib.sha512(HASH_CONTEXT + bytes([len(tag)]) + tag + message).digest()
    return from_uniform_bytes(digest)


def hash_to_bytes(tag, message):
    return hashlib.sha512(HASH_CONTEXT + bytes([len(tag)]) + tag + message).digest()[:32]


# ---------------------------------------------------------------- proofs (SPEC.md §6)


class InvalidProof(Exception):
    """A proof that decodes but does not verify (error class "invalid_proof")."""


def header(data, kind):
    if len(data) < 2:
        raise Reject("truncated")
    if data[0] != 1:
        raise Reject("version")
    if data[1] != kind:
        raise Reject("kind")
    return data[2:]


def append_nonidentity(t, label, enc):
    if enc == bytes(32):
        raise InvalidProof("identity")
    t.append(label, enc)


G_ENC = encode(B)


def schnorr_verify(t, x_enc, proof):
    body = header(proof, 0x01)
    if len(body) != 64:
        raise Reject("length")
    r_enc, z = body[:32], scalar(body[32:])
    r = point(r_enc, nonidentity=True)
    x = point(x_enc)
    t.append(b"dom-sep", b"schnorr-proof v1")
    t.append(b"G", G_ENC)
    append_nonidentity(t, b"X", x_enc)
    append_nonidentity(t, b"R", r_enc)
    c = t.challenge_scalar(b"c")
    if not eq(mul(z, B), add(r, mul(c, x))):
        raise InvalidProof("equation")


def dleq_verify(t, g_enc, h_enc, p_enc, q_enc, proof):
    body = header(proof, 0x02)
    if len(body) != 96:
        raise Reject("length")
    r_enc, s_enc, z = body[:32], body[32:64], scalar(body[64:])
    r, s = point(r_enc, True), point(s_enc, True)
    g, h, p, q = point(g_enc), point(h_enc), point(p_enc), point(q_enc)
    t.append(b"dom-sep", b"dleq-proof v1")
    append_nonidentity(t, b"G", g_enc)
    append_nonidentity(t, b"H", h_enc)
    t.append(b"P", p_enc)
    t.append(b"Q", q_enc)
    append_nonidentity(t, b"R", r_enc)
    append_nonidentity(t, b"S", s_enc)
    c = t.challenge_scalar(b"c")
    if not (eq(mul(z, g), add(r, mul(c, p))) and eq(mul(z, h), add(s, mul(c, q)))):
        raise InvalidProof("equation")


def range_verify(t, y_enc, ct_enc, lo, hi, proof):
    body = header(proof, 0x03)
    if len(body) < 2:
        raise Reject("truncated")
    n = int.from_bytes(body[:2], "little")
    if n == 0 or n > 1024:
        raise Reject("count")
    if len(proof) != 128 * n - 28:
        raise Reject("length")
    if not (lo <= hi and hi - lo < 1024):
        raise InvalidProof("range")
    rest = body[2:]
    commits = [(rest[64 * j : 64 * j + 32], rest[64 * j + 32 : 64 * j + 64]) for j in range(n)]
    for r_enc, s_enc in commits:
        point(r_enc, True), point(s_enc, True)
    off = 64 * n
    cs = [scalar(rest[off + 32 * j : off + 32 * j + 32]) for j in range(n - 1)]
    off += 32 * (n - 1)
    zs = [scalar(rest[off + 32 * j : off + 32 * j + 32]) for j in range(n)]
    if n != hi - lo + 1:
        raise InvalidProof("branch count")
    y, a, bb = point(y_enc), point(ct_enc[:32]), point(ct_enc[32:])
    t.append(b"dom-sep", b"range-proof v1")
    t.append_u64(b"min", lo)
    t.append_u64(b"max", hi)
    t.append(b"G", G_ENC)
    t.append(b"Y", y_enc)
    t.append(b"A", ct_enc[:32])
    t.append(b"B", ct_enc[32:])
    for r_enc, s_enc in commits:
        append_nonidentity(t, b"R", r_enc)
        append_nonidentity(t, b"S", s_enc)
    c = t.challenge_scalar(b"c")
    cs.append((c - sum(cs)) % L)
    for j in range(n):
        r, s = point(commits[j][0]), point(commits[j][1])
        shifted = add(bb, neg(mul(lo + j, B)))
        if not (eq(mul(zs[j], B), add(r, mul(cs[j], a))) and eq(mul(zs[j], y), add(s, mul(cs[j], shifted)))):
            raise InvalidProof("equation")


# ---------------------------------------------------------------- credentials (SPEC.md §9)


def credential_verify(x_enc, context, p_enc, sig):
    body = header(sig, 0x23)
    if len(body) != 160:
        raise Reject("length")
    a_enc, c_enc = body[:32], body[32:64]
    a, cc = point(a_enc, True), point(c_enc, True)
    s, y, tt = scalar(body[64:96]), scalar(body[96:128]), scalar(body[128:160])
    if y == 0:
        raise Reject("y' = 0")
    x = point(x_enc, True)
    tr = election_transcript(context)
    tr.append(b"dom-sep", b"credential-challenge v1")
    tr.append(b"X", x_enc)
    tr.append(b"A", a_enc)
    tr.append(b"C", c_enc)
    tr.append(b"ballot-key", p_enc)
    c = tr.challenge_scalar(b"c")
    z = hash_to_group(b"Z", context)
    if c == 0 or not eq(mul(s, B), add(a, mul(c * y, x))) or not eq(add(mul(tt, B), mul(y, z)), cc):
        raise InvalidProof("credential")


def report_verify(report, key_enc, context):
    body = header(report, 0x24)
    ctx, n = body[:32], int.from_bytes(body[32:36], "little")
    off, voters = 36, []
    for _ in range(n):
        ln = body[off]
        voters.append(body[off + 1 : off + 1 + ln])
        off += 1 + ln
    if voters != sorted(set(voters)) or ctx != context:
        raise InvalidProof("report")
    t = election_transcript(context)
    t.append(b"dom-sep", b"issuance-report v1")
    t.append_u64(b"count", n)
    for v in voters:
        t.append(b"voter", v)
    schnorr_verify(t, key_enc, body[off:])
    return n


# ---------------------------------------------------------------- threshold (SPEC.md §7, §8)


def round1_public(context, t, package):
    body = header(package, 0x10)
    sender, tt = int.from_bytes(body[:2], "little"), int.from_bytes(body[2:4], "little")
    if tt != t:
        raise InvalidProof("threshold")
    commits = [body[4 + 32 * k : 36 + 32 * k] for k in range(t)]
    tr = election_transcript(context)
    tr.append(b"dom-sep", b"dkg-round1 v1")
    tr.append_u64(b"trustee", sender)
    tr.append_u64(b"threshold", t)
    for c in commits:
        tr.append(b"C", c)
    schnorr_verify(tr, commits[0], body[4 + 32 * t :])
    return sender, [point(c) for c in commits]


def tally(v):
    context, t = bytes.fromhex(v["context"]), v["threshold"]
    dealers = [round1_public(context, t, bytes.fromhex(p)) for p in v["round1"]]
    n = len(v["trustee_keys"])
    y = IDENTITY
    for _, cs in dealers:
        y = add(y, cs[0])
    if encode(y).hex() != v["election_key"]:
        raise InvalidProof("election key")
    vks = {}
    for j in range(1, n + 1):
        acc = IDENTITY
        for _, cs in dealers:
            for k, c in enumerate(cs):
                acc = add(acc, mul(pow(j, k, L), c))
        vks[j] = acc
    ballots = [[bytes.fromhex(c) for c in ballot] for ballot in v["ballots"]]
    width = len(ballots[0])
    agg = []
    for k in range(width):
        a, bb = IDENTITY, IDENTITY
        for ballot in ballots:
            a, bb = add(a, point(ballot[k][:32])), add(bb, point(ballot[k][32:]))
        agg.append((encode(a), encode(bb)))
    agg_hash = hash_to_bytes(b"aggregate-hash", context + len(ballots).to_bytes(8, "little") + width.to_bytes(8, "little") + b"".join(a + bb for a, bb in agg))
    if agg_hash.hex() != v["aggregate_hash"]:
        raise InvalidProof("aggregate hash")
    valid, rejected = {}, []
    for share in v["decryption_shares"]:
        body = header(bytes.fromhex(share), 0x14)
        i, h, w = int.from_bytes(body[:2], "little"), body[2:34], int.from_bytes(body[34:36], "little")
        parts = [(body[36 + 130 * k : 68 + 130 * k], body[68 + 130 * k : 166 + 130 * k]) for k in range(w)]
        try:
            if h != agg_hash or w != width:
                raise InvalidProof("other aggregate")
            for k, (d_enc, proof) in enumerate(parts):
                tr = election_transcript(context)
                tr.append(b"dom-sep", b"decryption-share v1")
                tr.append_u64(b"trustee", i)
                tr.append(b"aggregate", h)
                tr.append_u64(b"position", k)
                dleq_verify(tr, G_ENC, agg[k][0], encode(vks[i]), d_enc, proof)
            valid.setdefault(i, [point(d) for d, _ in parts])
        except (InvalidProof, Reject):
            rejected.append(i)
    chosen = sorted(valid)[:t]
    totals = []
    for k in range(width):
        m = point(agg[k][1])
        for i in chosen:
            lam = 1
            for j in chosen:
                if j != i:
                    lam = lam * j * pow(j - i, L - 2, L) % L
            m = add(m, neg(mul(lam, valid[i][k])))
        total = next(x for x in range(len(ballots) + 1) if eq(mul(x, B), m))
        totals.append(total)
    return totals, sorted(rejected)


# ---------------------------------------------------------------- byte reader (SPEC.md §3.3)


class InvalidKeyShare(Exception):
    """A stored key share that decodes but does not match its public keys (SPEC.md §7.7)."""


def key_share_decode(data):
    """SPEC.md §7.7, steps 1 to 7: returns (context, i, t, share, qualified, Y, VKs)."""
    r = Reader(header(data, 0x15))
    context = r.take(32)
    i, t, n = r.u16(), r.u16(), r.u16()
    if not 1 <= n <= 255 or not 1 <= t <= n or not 1 <= i <= n:
        raise Reject("count out of bounds")
    s = scalar(r.take(32))
    if s == 0:
        raise Reject("zero scalar")
    q = r.u16()
    if not 1 <= q <= n:
        raise Reject("count out of bounds")
    if q < t:
        raise InvalidKeyShare("fewer qualified dealers than t")
    qualified = []
    for _ in range(q):
        j = r.u16()
        if qualified and j <= qualified[-1]:
            raise Reject("not strictly increasing")
        if not 1 <= j <= n:
            raise Reject("count out of bounds")
        qualified.append(j)
    y = point(r.take(32), nonidentity=True)
    vks = [point(r.take(32)) for _ in range(n)]
    r.done()
    if not eq(mul(s, B), vks[i - 1]):
        raise InvalidKeyShare("[s]G != VK_i")
    first = range(1, t + 1)
    acc = IDENTITY
    for j in first:
        num, den = 1, 1
        for m in first:
            if m != j:
                num, den = num * m % L, den * (m - j) % L
        acc = add(acc, mul(num * pow(den, L - 2, L) % L, vks[j - 1]))
    if not eq(acc, y):
        raise InvalidKeyShare("the verification keys do not give Y")
    return context, i, t, s, qualified, y, vks


class Reader:
    """A cursor over one message body: truncation and trailing bytes are rejected."""

    def __init__(self, data):
        self.data, self.off = data, 0

    def take(self, n):
        if self.off + n > len(self.data):
            raise Reject("truncated")
        out = self.data[self.off : self.off + n]
        self.off += n
        return out

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return int.from_bytes(self.take(2), "little")

    def u32(self):
        return int.from_bytes(self.take(4), "little")

    def u64(self):
        return int.from_bytes(self.take(8), "little")

    def flag(self):
        v = self.u8()
        if v > 1:
            raise Reject("invalid tag")
        return v == 1

    def text(self):
        raw = self.take(self.u16())
        if len(raw) > 1024:
            raise Reject("text longer than 1024 bytes")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Reject("text is not UTF-8") from None

    def texts(self):
        n = self.u16()
        if not 1 <= n <= 256:
            raise Reject("list count")
        return [self.text() for _ in range(n)]

    def done(self):
        if self.off != len(self.data):
            raise Reject("trailing bytes")


def le(n, width):
    return n.to_bytes(width, "little")


# ---------------------------------------------------------------- manifest (SPEC.md §11)


def threshold_decode(r):
    num, den, base, strict = r.u32(), r.u32(), r.u8(), r.u8()
    if base > 2 or strict > 1:
        raise Reject("invalid tag")
    if not 0 < num <= den:
        raise Reject("threshold fraction")
    return {"num": num, "den": den, "base": base, "strict": strict == 1}


def question_decode(r):
    kind = r.u8()
    q = {"kind": kind, "title": r.text()}
    if kind == 0:
        pass
    elif kind == 1:
        q["options"] = r.texts()
        q["min"], q["max"] = r.u16(), r.u16()
        if not q["min"] <= q["max"] <= len(q["options"]):
            raise Reject("choice range")
    elif kind == 2:
        q["candidates"] = r.texts()
        q["seats"] = r.u16()
        if not 1 <= q["seats"] <= len(q["candidates"]):
            raise Reject("seats")
    elif kind == 3:
        q["subjects"], q["levels"], q["blank"] = r.texts(), r.texts(), r.flag()
        if len(q["levels"]) < 2:
            raise Reject("fewer than 2 levels")
        q["indicators"] = []
        for _ in range(r.u8()):
            name, levels = r.text(), list(r.take(r.u8()))
            if not levels or levels != sorted(set(levels)) or levels[-1] >= len(q["levels"]):
                raise Reject("indicator levels")
            q["indicators"].append((name, levels))
    else:
        raise Reject("invalid tag")
    return q


def layout(q):
    """SPEC.md §11.2: (width, [(positions, min, max) per group, in table order])."""
    if q["kind"] == 0:
        return 3, [([0, 1, 2], 1, 1)]
    if q["kind"] == 1:
        k = len(q["options"])
        return k, [(list(range(k)), q["min"], q["max"])]
    if q["kind"] == 2:
        c = len(q["candidates"])
        groups = [([3 * i, 3 * i + 1, 3 * i + 2], 1, 1) for i in range(c)]
        return 3 * c, groups + [([3 * i for i in range(c)], 0, q["seats"])]
    span = len(q["levels"]) + q["blank"]
    return len(q["subjects"]) * span, [(list(range(j * span, (j + 1) * span)), 1, 1) for j in range(len(q["subjects"]))]


def derived_groups(groups):
    """SPEC.md §12.2: the groups whose last ciphertext is derived, not sent: min = max, two
    or more positions, and a last position in no other group."""
    out = set()
    for g, (positions, lo, hi) in enumerate(groups):
        alone = all(h == g or positions[-1] not in other for h, (other, _, _) in enumerate(groups))
        if lo == hi and len(positions) >= 2 and alone:
            out.add(g)
    return out


def manifest_decode(payload):
    """SPEC.md §11.3, with the validation of §11.1 (a manifest that fails it does not decode)."""
    r = Reader(header(payload, 0x30))
    m = {"id": r.take(r.u8())}
    if not 1 <= len(m["id"]) <= 64:
        raise Reject("election id length")
    m["title"], m["roster"] = r.text(), r.u32()
    if m["roster"] < 1:
        raise Reject("roster")
    m["quorum"], m["pass"] = threshold_decode(r), threshold_decode(r)
    m["tie"], m["shortfall"] = r.u8(), r.u8()
    if m["tie"] > 2 or m["shortfall"] > 1:
        raise Reject("invalid tag")
    m["t"], n = r.u16(), r.u16()
    if not 1 <= m["t"] <= n <= 255:
        raise Reject("threshold t of n")
    m["trustee_keys"] = [r.take(32) for _ in range(n)]
    for k in m["trustee_keys"]:
        point(k, nonidentity=True)
    if len(set(m["trustee_keys"])) != n:
        raise Reject("trustee keys not distinct")
    m["issuer_key"], m["report_key"] = r.take(32), r.take(32)
    point(m["issuer_key"], nonidentity=True)
    point(m["report_key"])
    m["floor"], m["revoting"] = r.u32(), r.flag()
    if m["floor"] < 1:
        raise Reject("privacy floor")
    nq = r.u8()
    if nq < 1:
        raise Reject("no question")
    m["questions"] = [question_decode(r) for _ in range(nq)]
    r.done()
    m["layouts"] = [layout(q) for q in m["questions"]]
    m["derived"] = [derived_groups(groups) for _, groups in m["layouts"]]
    m["width"] = sum(w for w, _ in m["layouts"])
    if m["width"] > 4096:
        raise Reject("more than 4096 positions")
    m["context"] = hash_to_bytes(b"election-context", payload)
    return m


# ---------------------------------------------------------------- ballots (SPEC.md §12)


class Shape(Exception):
    """The ballot is not of the manifest's shape (SPEC.md §12.3): it fails `ballots`."""


def derive(cts, positions, k):
    """SPEC.md §12.2: the last position's ciphertext, (0, [k]G) minus the group's others."""
    a, bb = IDENTITY, mul(k, B)
    for p in positions[:-1]:
        a, bb = add(a, neg(point(cts[p][:32]))), add(bb, neg(point(cts[p][32:])))
    return encode(a) + encode(bb)


def ballot_body_decode(r, m):
    """SPEC.md §12.3, from r reading the ballot's body (after its header); the layout of the
    manifest m says which ciphertexts are sent. Raises Shape where the layout is not the
    manifest's (what follows cannot be read)."""
    b = {"P": r.take(32)}
    point(b["P"], nonidentity=True)
    b["credential"] = r.take(162)
    b["questions"] = []
    if m is None or r.u8() != len(m["layouts"]):
        raise Shape()
    for (width, groups), derived in zip(m["layouts"], m["derived"]):
        if r.u16() != width:
            raise Shape()
        omitted = {groups[g][0][-1] for g in derived}
        cts = [None if p in omitted else r.take(64) for p in range(width)]
        for ct in cts:
            if ct is not None:
                point(ct[:32]), point(ct[32:])
        bits = [r.take(r.u16()) for _ in cts]
        proved = [g for g in range(len(groups)) if g not in derived]
        if r.u8() != len(proved):
            raise Shape()
        group_proofs = [(g, r.take(r.u16())) for g in proved]
        for g in sorted(derived):
            positions, k, _ = groups[g]
            cts[positions[-1]] = derive(cts, positions, k)
        b["questions"].append((cts, bits, group_proofs))
    b["unsigned"] = bytes([1, 0x31]) + r.data[: r.off]
    b["signature"] = r.take(66)
    b["hash"] = hash_to_bytes(b"ballot", b["unsigned"])
    b["ciphertexts"] = [ct for cts, _, _ in b["questions"] for ct in cts]
    return b


def ballot_decode(payload, m):
    """A ballot not of m's shape decodes with its pseudonym only, and fails verification."""
    r = Reader(header(payload, 0x31))
    try:
        b = ballot_body_decode(r, m)
    except Shape:
        return {"P": payload[2:34], "shape": False, "ciphertexts": [], "payload": payload}
    r.done()
    b["payload"] = payload
    return b


def spoiled_decode(payload, m):
    """A spoiled ballot not of m's shape does not decode (SPEC.md §12.3)."""
    r = Reader(header(payload, 0x32))
    b = ballot_decode(r.take(r.u32()), m)
    if b.get("shape") is False:
        raise Reject("spoiled ballot not of the manifest's shape")
    b["openings"] = [(r.u8(), scalar(r.take(32))) for _ in b["ciphertexts"]]
    r.done()
    return b


def ciphertext_sum(cts):
    a, bb = IDENTITY, IDENTITY
    for ct in cts:
        a, bb = add(a, point(ct[:32])), add(bb, point(ct[32:]))
    return encode(a) + encode(bb)


def ballot_verify(m, y_enc, b):
    """SPEC.md §12.3: shape (checked while decoding), credential, signature, bit and group proofs."""
    if b.get("shape") is False:
        raise InvalidProof("shape: not the manifest's layout")
    context = m["context"]
    credential_verify(m["issuer_key"], context, b["P"], b["credential"])
    t = election_transcript(context)
    t.append(b"dom-sep", b"ballot-signature v1")
    t.append(b"ballot-hash", b["hash"])
    schnorr_verify(t, b["P"], b["signature"])
    t0 = election_transcript(context)
    t0.append(b"dom-sep", b"ballot v1")
    t0.append(b"ballot-key", b["P"])
    for cts, _, _ in b["questions"]:
        t0.append_u64(b"count", len(cts))
        for ct in cts:
            t0.append(b"ciphertext", ct)
    for q, ((cts, bits, groups), (_, layout_groups)) in enumerate(zip(b["questions"], m["layouts"])):
        for k, (ct, proof) in enumerate(zip(cts, bits)):
            t = t0.clone()
            t.append_u64(b"question", q)
            t.append_u64(b"position", k)
            range_verify(t, y_enc, ct, 0, 1, proof)
        for g, proof in groups:
            positions, lo, hi = layout_groups[g]
            t = t0.clone()
            t.append_u64(b"question", q)
            t.append_u64(b"group", g)
            range_verify(t, y_enc, ciphertext_sum([cts[p] for p in positions]), lo, hi, proof)


def spoiled_verify(m, y_enc, b):
    """SPEC.md §12.4: the ballot verifies and every opening re-encrypts to its ciphertext."""
    ballot_verify(m, y_enc, b)
    y = point(y_enc)
    for ct, (value, r) in zip(b["ciphertexts"], b["openings"]):
        if encode(mul(r, B)) + encode(add(mul(value, B), mul(r, y))) != ct:
            raise InvalidProof("opening")


MEMO = {}


def memo(key, fn):
    """Run fn once per key and replay its outcome (None, or the exception it raised)."""
    if key not in MEMO:
        try:
            fn()
            MEMO[key] = None
        except (Reject, InvalidProof) as e:
            MEMO[key] = e
    if MEMO[key] is not None:
        raise MEMO[key]


# ---------------------------------------------------------------- record payloads (SPEC.md §7, §8, §9.7, §14)


def round1_decode(payload):
    r = Reader(header(payload, 0x10))
    d = {"sender": r.u16(), "t": r.u16()}
    if not 1 <= d["t"] <= 255:
        raise Reject("threshold")
    d["commits"] = [r.take(32) for _ in range(d["t"])]
    for k, c in enumerate(d["commits"]):
        point(c, nonidentity=k == 0)
    d["proof"] = r.take(66)
    r.done()
    return d


def round2_decode(payload):
    r = Reader(header(payload, 0x11))
    d = {"dealer": r.u16(), "recipient": r.u16(), "ct": r.take(48)}
    r.done()
    return d


def complaint_decode(payload):
    r = Reader(header(payload, 0x12))
    d = {"accuser": r.u16(), "accused": r.u16()}
    r.done()
    return d


def answer_decode(payload):
    r = Reader(header(payload, 0x13))
    d = {"accused": r.u16(), "accuser": r.u16(), "share": scalar(r.take(32))}
    r.done()
    return d


def report_decode(payload):
    r = Reader(header(payload, 0x24))
    d = {"context": r.take(32), "voters": []}
    for _ in range(r.u32()):
        v = r.take(r.u8())
        if not v:
            raise Reject("empty identifier")
        d["voters"].append(v)
    r.take(66)
    r.done()
    return d


def paper_decode(payload):
    """SPEC.md §14.4: the encrypted paper count (its range proofs are parsed when verified)."""
    r = Reader(header(payload, 0x41))
    d = {"voters": r.u32()}
    if not 1 <= d["voters"] <= 1023:
        raise Reject("paper voters out of bounds")
    w = r.u16()
    if not 1 <= w <= 4096:
        raise Reject("count out of bounds")
    d["ciphertexts"] = [r.take(64) for _ in range(w)]
    for ct in d["ciphertexts"]:
        point(ct[:32]), point(ct[32:])
    d["proofs"] = [r.take(128 * (d["voters"] + 1) - 28) for _ in range(w)]
    d["signatures"] = [(r.u16(), r.take(66)) for _ in range(r.u8())]
    signers = [i for i, _ in d["signatures"]]
    if any(a >= b for a, b in zip(signers, signers[1:])):
        raise Reject("signers not strictly increasing")
    r.done()
    return d


def close_decode(payload):
    r = Reader(header(payload, 0x42))
    d = {"present": r.u32(), "closed_at": r.u64()}
    r.done()
    return d


def aggregate_decode(payload):
    r = Reader(header(payload, 0x43))
    d = {"ballots": r.u64()}
    w = r.u16()
    if not 1 <= w <= 4096:
        raise Reject("count out of bounds")
    d["sums"] = [r.take(64) for _ in range(w)]
    for ct in d["sums"]:
        point(ct[:32]), point(ct[32:])
    r.done()
    return d


def share_decode(payload):
    r = Reader(header(payload, 0x14))
    d = {"trustee": r.u16(), "aggregate": r.take(32)}
    w = r.u16()
    if not 1 <= w <= 4096:
        raise Reject("count out of bounds")
    d["parts"] = [(r.take(32), r.take(98)) for _ in range(w)]
    for dk, _ in d["parts"]:
        point(dk)
    r.done()
    return d


def totals_decode(payload):
    r = Reader(header(payload, 0x44))
    d = {"totals": [r.u64() for _ in range(r.u16())]}
    r.done()
    return d


def id_list(r):
    return [r.u16() for _ in range(r.u16())]


def outcomes_decode(payload):
    """SPEC.md §14.6, into the JSON shape of §14.9."""
    r = Reader(header(payload, 0x45))
    out = {"roster": r.u32(), "present": r.u32(), "quorum": r.flag(), "questions": []}
    for _ in range(r.u8()):
        kind = r.u8()
        if kind == 0:
            q = {"kind": "motion", "passed": r.flag(), "minimum": r.u64()}
        elif kind == 1:
            q = {"kind": "choice"}
        elif kind == 2:
            q = {"kind": "election", "qualified": id_list(r), "elected": id_list(r)}
            tag = r.u8()
            if tag == 0:
                q["pending"] = None
            elif tag in (1, 2):
                q["pending"] = {"kind": ("runoff", "lot")[tag - 1], "candidates": id_list(r), "seats": r.u16()}
            elif tag == 3:
                q["pending"] = {"kind": "shortfall_runoff", "seats": r.u16()}
            else:
                raise Reject("invalid tag")
            q["vacant"] = r.u16()
        elif kind == 3:
            s, n = r.u16(), r.u16()
            q = {"kind": "evaluation", "indicators": [[ratio(r.u64(), r.u64()) for _ in range(n)] for _ in range(s)]}
        else:
            raise Reject("invalid tag")
        out["questions"].append(q)
    r.done()
    return out


def ratio(num, den):
    """SPEC.md §10.4: basis points rounded half up, undefined for den = 0."""
    return {"numerator": num, "denominator": den, "basis_points": (2 * 10000 * num + den) // (2 * den) if den else None}


# ---------------------------------------------------------------- congress rules (SPEC.md §10, §14.6)


def base_of(thr, roster, present, cast):
    base = (roster, present, cast)[thr["base"]]
    if base is None:
        raise InvalidProof("a threshold on votes cast where there is no item")
    return base


def meets(count, thr, base):
    if thr["strict"]:
        return thr["den"] * count > thr["num"] * base
    return thr["den"] * count >= thr["num"] * base


def minimum(thr, base):
    if thr["strict"]:
        return thr["num"] * base // thr["den"] + 1
    return -(-thr["num"] * base // thr["den"])


def ids(xs):
    return le(len(xs), 2) + b"".join(le(x, 2) for x in xs)


def election_outcome(m, q, totals, quorum, present):
    seats, c = q["seats"], len(q["candidates"])
    votes = [(totals[3 * i], totals[3 * i + 1], totals[3 * i + 2]) for i in range(c)]
    qualified = [i for i, (y, no, a) in enumerate(votes) if meets(y, m["pass"], base_of(m["pass"], m["roster"], present, y + no + a))]
    elected, pending, vacant = [], b"\x00", 0
    if not quorum:
        pass
    elif len(qualified) <= seats:
        elected, short = qualified, seats - len(qualified)
        if short and m["shortfall"] == 0:
            pending = b"\x03" + le(short, 2)
        else:
            vacant = short
    else:
        ranked = sorted(qualified, key=lambda i: -votes[i][0])
        last = votes[ranked[seats - 1]][0]
        elected = [i for i in qualified if votes[i][0] > last]
        tied, remaining = [i for i in qualified if votes[i][0] == last], seats - len(elected)
        if len(tied) <= remaining:
            elected = elected + tied
        elif m["tie"] == 1:
            by_against = sorted(tied, key=lambda i: votes[i][1])
            bound = votes[by_against[remaining - 1]][1]
            elected = elected + [i for i in tied if votes[i][1] < bound]
            tied2, remaining = [i for i in tied if votes[i][1] == bound], seats - len(elected)
            if len(tied2) <= remaining:
                elected = elected + tied2
            else:
                pending = b"\x01" + ids(tied2) + le(remaining, 2)
        else:
            pending = (b"\x02" if m["tie"] == 2 else b"\x01") + ids(tied) + le(remaining, 2)
        elected = sorted(elected)
    return ids(qualified) + ids(elected) + pending + le(vacant, 2)


def outcomes_encode(m, totals, present):
    """SPEC.md §14.6: the rules of §10 applied to the totals."""
    roster = m["roster"]
    quorum = meets(present, m["quorum"], base_of(m["quorum"], roster, present, None))
    out = bytes([1, 0x45]) + le(roster, 4) + le(present, 4) + bytes([quorum, len(m["questions"])])
    pos = 0
    for q, (width, _) in zip(m["questions"], m["layouts"]):
        t, pos = totals[pos : pos + width], pos + width
        out += bytes([q["kind"]])
        if q["kind"] == 0:
            base = base_of(m["pass"], roster, present, sum(t))
            out += bytes([quorum and meets(t[0], m["pass"], base)]) + le(minimum(m["pass"], base), 8)
        elif q["kind"] == 2:
            out += election_outcome(m, q, t, quorum, present)
        elif q["kind"] == 3:
            levels, span = len(q["levels"]), len(q["levels"]) + q["blank"]
            out += le(len(q["subjects"]), 2) + le(len(q["indicators"]), 2)
            for j in range(len(q["subjects"])):
                valid = sum(t[j * span : j * span + levels])
                for _, lv in q["indicators"]:
                    out += le(sum(t[j * span + x] for x in lv), 8) + le(valid, 8)
    return out


# ---------------------------------------------------------------- the record (SPEC.md §14)

# payload kind -> (section number of §14.2, decoder, sort key or None for a single section)
SECTIONS = {
    0x30: (1, manifest_decode, None),
    0x10: (2, round1_decode, lambda d: d["sender"]),
    0x11: (3, round2_decode, lambda d: (d["dealer"], d["recipient"])),
    0x12: (4, complaint_decode, lambda d: (d["accuser"], d["accused"])),
    0x13: (5, answer_decode, lambda d: (d["accused"], d["accuser"])),
    0x24: (6, report_decode, None),
    0x32: (7, spoiled_decode, lambda d: d["hash"]),
    0x31: (8, ballot_decode, lambda d: d["P"]),
    0x41: (9, paper_decode, None),
    0x42: (10, close_decode, None),
    0x43: (11, aggregate_decode, None),
    0x14: (12, share_decode, lambda d: d["trustee"]),
    0x44: (13, totals_decode, None),
    0x45: (14, outcomes_decode, None),
}

CHECKS = [
    "encoding", "hash_chain", "order", "manifest", "key_ceremony", "issuance_report", "spoiled_ballots",
    "ballots", "pseudonyms", "spoiled_not_counted", "reconciliation", "offline_count", "attendance",
    "privacy_floor", "aggregate", "decryption_shares", "totals", "outcomes",
]


def record_frames(raw):
    """SPEC.md §14.1: [(previous, payload, hash)], and the framing error that ended the reading."""
    frames, off = [], 0
    while off < len(raw):
        try:
            r = Reader(header(raw[off:], 0x40))
            previous, ln = r.take(32), r.u32()
            if ln > 2**24:
                raise Reject("entry longer than 2^24")
            payload = r.take(ln)
        except Reject as e:
            return frames, str(e)
        entry = raw[off : off + 38 + ln]
        frames.append((previous, payload, hash_to_bytes(b"record-entry", entry)))
        off += 38 + ln
    return frames, None


class Checks:
    """The report's checks (SPEC.md §14.7): the first failure of each is kept."""

    def __init__(self):
        self.status = {}

    def fail(self, name, message, entry=None):
        if self.status.get(name, ("",))[0] != "failed":
            self.status[name] = ("failed", message, entry)

    def pass_(self, name, items):
        self.status.setdefault(name, ("passed", items))

    def skip(self, name, reason):
        self.status.setdefault(name, ("skipped", reason))

    def failed(self):
        return [n for n in CHECKS if self.status.get(n, ("",))[0] == "failed"]

    def as_json(self):
        out = []
        for n in CHECKS:
            s = self.status.get(n, ("skipped", "nothing to check"))
            if s[0] == "passed":
                out.append({"check": n, "status": "passed", "items": s[1]})
            elif s[0] == "failed":
                out.append({"check": n, "status": "failed", "message": s[1], "entry": s[2]})
            else:
                out.append({"check": n, "status": "skipped", "reason": s[1]})
        return out


def record_read(raw, ck):
    """Framing, hash chain, payload decoding and section order: the entries that are read, by section."""
    frames, err = record_frames(raw)
    previous = bytes(32)
    for i, (prev, _, h) in enumerate(frames):
        if prev != previous:
            ck.fail("hash_chain", "previous is not the hash of the entry before", i)
        previous = h
    ck.pass_("hash_chain", len(frames))
    read = {}
    current, last_key, manifest = 0, None, None
    for i, (_, payload, _) in enumerate(frames):
        if len(payload) < 2 or payload[0] != 1 or payload[1] not in SECTIONS:
            ck.fail("encoding", "unknown payload kind", i)
            if i == 0:
                break
            continue
        section, decoder, sort_key = SECTIONS[payload[1]]
        try:
            # Ballots decode with the manifest's layout (SPEC.md §12.2).
            d = decoder(payload, manifest) if payload[1] in (0x31, 0x32) else decoder(payload)
        except Reject as e:
            ck.fail("encoding", f"entry {i}: {e}", i)
            if i == 0:
                break
            continue
        if i == 0 and section != 1:
            ck.fail("order", "the first entry is not the manifest", 0)
            break
        if section < current or (section == current and sort_key is None):
            ck.fail("order", f"entry {i} out of section order", i)
            continue
        for need, before in ((6, 7), (10, 11), (11, 12), (13, 14)):
            if section >= before and need not in read:
                ck.fail("order", f"entry {i}: a required section ({need}) is missing", i)
        key = sort_key(d) if sort_key else None
        if section == current and key <= last_key:
            if section == 8 and key == last_key:
                ck.fail("pseudonyms", "a pseudonym cast two ballots", i)
            else:
                ck.fail("order", f"entry {i} not above the previous one", i)
        current, last_key = section, key
        if section == 1 and manifest is None:
            manifest = d
        read.setdefault(section, []).append((i, d))
    # After the entries before it: each check keeps its first failure in record order
    # (SPEC.md §14.7), and the frame that does not decode comes after them.
    if err:
        ck.fail("encoding", f"entry {len(frames)}: {err}", len(frames))
    ck.pass_("encoding", len(frames))
    ck.pass_("order", len(read))
    return frames, read


def resolve_ceremony(m, read):
    """SPEC.md §7.5, §7.6: (disqualified, QUAL, Y, {j: VKj})."""
    n, t, context = len(m["trustee_keys"]), m["t"], m["context"]
    valid = {}
    for _, d in read.get(2, []):
        def check_round1(d=d):
            if not 1 <= d["sender"] <= n or d["t"] != t:
                raise InvalidProof("sender or threshold")
            tr = election_transcript(context)
            tr.append(b"dom-sep", b"dkg-round1 v1")
            tr.append_u64(b"trustee", d["sender"])
            tr.append_u64(b"threshold", t)
            for c in d["commits"]:
                tr.append(b"C", c)
            schnorr_verify(tr, d["commits"][0], d["proof"])
        try:
            memo(("round1", context, t, n, d["sender"], tuple(d["commits"]), d["proof"]), check_round1)
            valid.setdefault(d["sender"], []).append([point(c) for c in d["commits"]])
        except (Reject, InvalidProof):
            pass
    disqualified = {j for j in range(1, n + 1) if len(valid.get(j, [])) != 1}
    answers = {(d["accused"], d["accuser"]): d["share"] for _, d in read.get(5, [])}

    def feldman(i, j):
        acc = IDENTITY
        for k, c in enumerate(valid[i][0]):
            acc = add(acc, mul(pow(j, k, L), c))
        return acc

    for _, d in read.get(4, []):
        i, j = d["accused"], d["accuser"]
        if not (1 <= j <= n and j != i and 1 <= i <= n) or i in disqualified:
            continue
        if (i, j) not in answers or not eq(mul(answers[(i, j)], B), feldman(i, j)):
            disqualified.add(i)
    qual = [i for i in range(1, n + 1) if i not in disqualified]
    y = IDENTITY
    for i in qual:
        y = add(y, valid[i][0][0])
    vks = {}
    for j in range(1, n + 1):
        acc = IDENTITY
        for i in qual:
            acc = add(acc, feldman(i, j))
        vks[j] = encode(acc)
    return sorted(disqualified), qual, encode(y), vks


def paper_verify(m, y_enc, d):
    """SPEC.md §14.4: width, a range proof [0, voters] per ciphertext, at least t signatures."""
    cts, voters, n = d["ciphertexts"], d["voters"], len(m["trustee_keys"])
    if len(cts) != m["width"]:
        raise InvalidProof("paper count width")
    t0 = election_transcript(m["context"])
    t0.append(b"dom-sep", b"offline-count v1")
    t0.append_u64(b"voters", voters)
    t0.append_u64(b"count", len(cts))
    for ct in cts:
        t0.append(b"ciphertext", ct)
    for k, (ct, proof) in enumerate(zip(cts, d["proofs"])):
        tr = t0.clone()
        tr.append_u64(b"position", k)
        range_verify(tr, y_enc, ct, 0, voters, proof)
    signers = [i for i, _ in d["signatures"]]
    if len(signers) < m["t"] or not all(1 <= i <= n for i in signers):
        raise InvalidProof("signers")
    for i, proof in d["signatures"]:
        tr = t0.clone()
        tr.append_u64(b"trustee", i)
        schnorr_verify(tr, m["trustee_keys"][i - 1], proof)


def share_verify(m, vks, agg, agg_hash, d):
    """SPEC.md §8.3."""
    i = d["trustee"]
    if i not in vks or d["aggregate"] != agg_hash or len(d["parts"]) != len(agg):
        raise InvalidProof("share for another aggregate or trustee")
    for k, (d_enc, proof) in enumerate(d["parts"]):
        tr = election_transcript(m["context"])
        tr.append(b"dom-sep", b"decryption-share v1")
        tr.append_u64(b"trustee", i)
        tr.append(b"aggregate", agg_hash)
        tr.append_u64(b"position", k)
        dleq_verify(tr, G_ENC, agg[k][:32], vks[i], d_enc, proof)


def combine(t, shares, agg):
    """SPEC.md §8.4: Mₖ from the t valid shares with the smallest indices."""
    chosen = sorted(shares)[:t]
    out = []
    for k in range(len(agg)):
        acc = point(agg[k][32:])
        for i in chosen:
            lam = 1
            for j in chosen:
                if j != i:
                    lam = lam * j * pow(j - i, L - 2, L) % L
            acc = add(acc, neg(mul(lam, point(shares[i][k][0]))))
        out.append(acc)
    return out


STAGES = [(0, "empty"), (5, "setup"), (9, "voting"), (10, "closed"), (13, "counting"), (14, "tallied")]


class Replay:
    """What the checks of one record share: the entries read (by section), the manifest, the report."""

    def __init__(self, frames, read, ck):
        self.frames, self.read, self.ck = frames, read, ck
        self.m = read[1][0][1] if 1 in read else None
        self.y_enc = self.vks = None
        self.spoiled, self.cast = read.get(7, []), read.get(8, [])

    def single(self, section):
        return self.read[section][0][1] if section in self.read else None

    def payload(self, section):
        return self.frames[self.read[section][0][0]][1]

    def entry(self, section):
        return self.read[section][0][0]


def check_ceremony(rp, report):
    """SPEC.md §7.5, §7.6."""
    m, ck, n = rp.m, rp.ck, len(rp.m["trustee_keys"])
    if max(rp.read) < 2:
        ck.skip("key_ceremony", "no ceremony yet")
        return
    disqualified, qual, y_enc, vks = resolve_ceremony(m, rp.read)
    report["disqualified"] = disqualified
    indices = [(d["dealer"], d["recipient"]) for _, d in rp.read.get(3, [])]
    indices += [(d["accuser"], d["accused"]) for s in (4, 5) for _, d in rp.read.get(s, [])]
    if not all(1 <= i <= n for pair in indices for i in pair):
        ck.fail("key_ceremony", "a trustee index outside 1 ... n (SPEC.md §7.1)")
    if any(a == b for a, b in indices):
        ck.fail("key_ceremony", "a message that names one trustee twice (SPEC.md §14.7)")
    shares = {(d["dealer"], d["recipient"]) for _, d in rp.read.get(3, [])}
    if any((i, j) not in shares for i in qual for j in range(1, n + 1) if j != i):
        ck.fail("key_ceremony", "a qualified dealer's round-2 package is missing (SPEC.md §14.7)")
        return
    if len(qual) < m["t"]:
        ck.fail("key_ceremony", "fewer than t qualified trustees")
    elif y_enc == bytes(32):
        ck.fail("key_ceremony", "the election key is the identity")
    else:
        rp.y_enc, rp.vks = y_enc, vks
        report["election_key"] = y_enc.hex()
        ck.pass_("key_ceremony", len(qual))


def check_issuance(rp, report):
    """SPEC.md §9.7."""
    m, ck, rep = rp.m, rp.ck, rp.single(6)
    if rep is None:
        ck.skip("issuance_report", "no issuance report")
        return
    payload, context = rp.payload(6), m["context"]
    try:
        memo(("report", payload, m["report_key"], context), lambda: report_verify(payload, m["report_key"], context))
        report["credentials"] = len(rep["voters"])
        ck.pass_("issuance_report", 1)
    except (Reject, InvalidProof) as e:
        ck.fail("issuance_report", str(e), rp.entry(6))


def check_ballots(rp):
    """SPEC.md §12.3, §12.4, §14.3: spoiled and cast ballots, pseudonyms, spoiled ciphertexts."""
    ck = rp.ck
    for name, entries, verify in (("spoiled_ballots", rp.spoiled, spoiled_verify), ("ballots", rp.cast, ballot_verify)):
        if rp.y_enc is None:
            ck.skip(name, "no election key")
            continue
        culprits = []
        for i, b in entries:
            try:
                memo((name, rp.frames[i][1], rp.y_enc, rp.m["context"]), lambda b=b: verify(rp.m, rp.y_enc, b))
            except (Reject, InvalidProof):
                culprits.append(i)
        if culprits:
            ck.fail(name, f"invalid: entries {culprits}", culprits[0])
        ck.pass_(name, len(entries))
    ck.pass_("pseudonyms", len(rp.cast))  # a repeated pseudonym failed this check in record_read
    opened = {ct for _, b in rp.spoiled for ct in b["ciphertexts"]}
    for i, b in rp.cast:
        if opened.intersection(b["ciphertexts"]):
            ck.fail("spoiled_not_counted", "a spoiled ciphertext is counted", i)
    ck.pass_("spoiled_not_counted", len(rp.cast))


def check_sitting(rp, report):
    """SPEC.md §14.4 and §14.7: reconciliation, the paper count, attendance."""
    m, ck, credentials = rp.m, rp.ck, report["credentials"]
    if credentials is None:
        ck.skip("reconciliation", "no issuance report")
    elif len(rp.cast) > credentials:
        ck.fail("reconciliation", "more ballots than credentials issued")
    else:
        ck.pass_("reconciliation", len(rp.cast))
    paper = rp.single(9)
    if paper is None:
        ck.skip("offline_count", "no paper count")
    else:
        report["offline_voters"] = paper["voters"]
        if rp.y_enc is None:
            ck.skip("offline_count", "no election key")
        else:
            try:
                memo(("paper", rp.payload(9), m["context"], rp.y_enc), lambda: paper_verify(m, rp.y_enc, paper))
                ck.pass_("offline_count", 1)
            except (Reject, InvalidProof) as e:
                ck.fail("offline_count", str(e), rp.entry(9))
    close = rp.single(10)
    if close is None:
        ck.skip("attendance", "not closed")
        return
    present = report["present"] = close["present"]
    report["closed_at"] = close["closed_at"]
    if (credentials or 0) + report["offline_voters"] <= present <= m["roster"]:
        ck.pass_("attendance", present)
    else:
        ck.fail("attendance", "credentials + paper voters <= present <= roster does not hold", rp.entry(10))


def check_aggregate(rp):
    """SPEC.md §14.5: the privacy floor and the recomputed aggregate (cast ballots and the paper
    count's ciphertexts; votes = cast ballots + paper voters), with its hash (§8.1)."""
    m, ck, published, cast, paper = rp.m, rp.ck, rp.single(11), rp.cast, rp.single(9)
    if len(cast) >= max(m["floor"], 1):
        ck.pass_("privacy_floor", len(cast))
    else:
        ck.fail("privacy_floor", "below the privacy floor", rp.entry(11))
    if any(len(b["ciphertexts"]) != m["width"] for _, b in cast):
        ck.fail("aggregate", "a ballot of another width")
        return [], None, 0
    vectors = [b["ciphertexts"] for _, b in cast]
    votes = len(cast)
    if paper is not None:
        if len(paper["ciphertexts"]) != m["width"]:
            ck.fail("aggregate", "a paper count of another width")
            return [], None, 0
        vectors.append(paper["ciphertexts"])
        votes += paper["voters"]
    agg = [ciphertext_sum([v[k] for v in vectors]) for k in range(m["width"])]
    if published["ballots"] != votes or published["sums"] != agg:
        ck.fail("aggregate", "the published aggregate is not the sum of the ballots and the paper count", rp.entry(11))
    ck.pass_("aggregate", len(cast))
    return agg, hash_to_bytes(b"aggregate-hash", m["context"] + le(votes, 8) + le(len(agg), 8) + b"".join(agg)), votes


def check_shares(rp, report, agg, agg_hash):
    """SPEC.md §8.3: every share against the recomputed aggregate; {trustee: parts} of the valid ones."""
    ck, valid, rejected = rp.ck, {}, []
    if rp.vks is None or not agg:
        ck.skip("decryption_shares", "no verification keys or aggregate")
        return valid
    if 12 not in rp.read:
        ck.skip("decryption_shares", "no share yet")
        return valid
    for i, d in rp.read[12]:
        key = ("share", rp.frames[i][1], agg_hash, tuple(agg), tuple(sorted(rp.vks.items())))
        try:
            memo(key, lambda d=d: share_verify(rp.m, rp.vks, agg, agg_hash, d))
            valid.setdefault(d["trustee"], d["parts"])
        except (Reject, InvalidProof):
            rejected.append(d["trustee"])
    # SPEC.md §14.5, §14.9: the t valid shares with the smallest indices are combined, and
    # only when there are totals to check.
    t = rp.m["t"]
    report["decrypted_by"] = sorted(valid)[:t] if 13 in rp.read and len(valid) >= t else []
    if rejected:
        ck.fail("decryption_shares", f"invalid shares from trustees {rejected}", None)
    elif len(valid) < rp.m["t"]:
        ck.fail("decryption_shares", "fewer than t valid shares")
    ck.pass_("decryption_shares", len(valid))
    return valid


def check_totals(rp, report, agg, votes, shares):
    """SPEC.md §14.5, §8.4: totalₖ = mₖ, the combined decryption (Mₖ compared with [totalₖ]G, totalₖ ≤ votes)."""
    m, ck, tot = rp.m, rp.ck, rp.single(13)
    if tot is None:
        ck.skip("totals", "no totals")
        return
    report["totals"] = totals = tot["totals"]
    if len(totals) != m["width"]:
        ck.fail("totals", "totals of another width", rp.entry(13))
        return
    if len(shares) < m["t"]:
        ck.fail("totals", "fewer than t valid shares to combine", rp.entry(13))
        return
    for k, mk in enumerate(combine(m["t"], shares, agg)):
        if not (0 <= totals[k] <= votes and eq(mk, mul(totals[k], B))):
            ck.fail("totals", f"wrong total at position {k}", rp.entry(13))
            return
    ck.pass_("totals", m["width"])


def check_outcomes(rp, report):
    """SPEC.md §14.6: byte equality with the rules applied to the published totals."""
    m, ck, out, tot, close = rp.m, rp.ck, rp.single(14), rp.single(13), rp.single(10)
    if out is None:
        ck.skip("outcomes", "no outcomes")
        return
    report["outcomes"] = out
    try:
        if close is None or tot is None or len(tot["totals"]) != m["width"]:
            raise InvalidProof("no totals or close to apply the rules to")
        if outcomes_encode(m, tot["totals"], close["present"]) != rp.payload(14):
            raise InvalidProof("the outcomes are not the rules applied to the totals")
        ck.pass_("outcomes", len(m["questions"]))
    except InvalidProof as e:
        ck.fail("outcomes", str(e), rp.entry(14))


def record_verify(raw):
    """SPEC.md §14.7: the report of §14.9 (checks as a list; its messages are this verifier's own)."""
    ck = Checks()
    frames, read = record_read(raw, ck)
    rp = Replay(frames, read, ck)
    report = {
        "entries": len(frames), "head": (frames[-1][2] if frames else bytes(32)).hex(),
        "stage": next(name for top, name in STAGES if max(read, default=0) <= top), "context": None,
        "election_key": None, "credentials": None, "ballots": len(rp.cast), "spoiled": len(rp.spoiled),
        "offline_voters": 0, "present": None, "closed_at": None, "disqualified": [], "decrypted_by": [], "totals": None, "outcomes": None,
    }
    if rp.m is None:
        ck.fail("manifest", "missing or invalid manifest", 0)
        for n in CHECKS:
            ck.skip(n, "no manifest")
        return finish(report, ck)
    ck.pass_("manifest", 1)
    report["context"] = rp.m["context"].hex()
    check_ceremony(rp, report)
    check_issuance(rp, report)
    check_ballots(rp)
    check_sitting(rp, report)
    if 11 not in read:
        for name in ("privacy_floor", "aggregate", "decryption_shares", "totals", "outcomes"):
            ck.skip(name, "no aggregate")
        return finish(report, ck)
    agg, agg_hash, votes = check_aggregate(rp)
    shares = check_shares(rp, report, agg, agg_hash)
    check_totals(rp, report, agg, votes, shares)
    check_outcomes(rp, report)
    return finish(report, ck)


def finish(report, ck):
    failed = ck.failed()
    report["verdict"] = "valid" if not failed else "void_redo" if failed == ["reconciliation"] else "invalid"
    report["checks"] = ck.as_json()
    return report


# ---------------------------------------------------------------- the replay


def main():
    passed = failed = 0

    def check(name, fn):
        nonlocal passed, failed
        try:
            fn()
            passed += 1
        except Exception as e:  # noqa: BLE001 - report any failure and continue
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")

    load = lambda name: json.loads((VECTORS / name).read_text())
    hx = bytes.fromhex

    def merlin_known_answer():
        t = Transcript(b"test protocol")
        t.append(b"some label", b"some data")
        got = t.challenge_bytes(b"challenge", 32).hex()
        assert got == "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615", got

    check("merlin known answer", merlin_known_answer)

    enc = load("encodings.json")
    for c in enc["valid_points"]:
        check(f"valid point {c['hex'][:8]}", lambda c=c: (encode(decode(hx(c["hex"]))) == hx(c["hex"])) or (_ for _ in ()).throw(AssertionError("re-encode")))
    for c in enc["invalid_points"]:
        def rejects(c=c):
            try:
                decode(hx(c["hex"]))
            except Reject:
                return
            raise AssertionError(f"accepted {c['reason']}")
        check(f"invalid point ({c['reason']})", rejects)
    for c in enc["invalid_scalars"]:
        def rejects_scalar(c=c):
            try:
                scalar(hx(c["hex"]))
            except Reject:
                return
            raise AssertionError("accepted")
        check(f"invalid scalar ({c['reason']})", rejects_scalar)

    gen = load("generators.json")
    check("G", lambda: assert_eq(G_ENC.hex(), gen["G"]))
    for c in gen["hash_to_group"]:
        check(f"hash_to_group {c['tag']}", lambda c=c: assert_eq(encode(hash_to_group(c["tag"].encode(), hx(c["message_hex"]))).hex(), c["point"]))

    eg = load("elgamal.json")
    for c in eg["cases"]:
        def enc_case(c=c):
            y = decode(hx(c["public_key"]))
            assert_eq(encode(mul(scalar(hx(c["secret_key"])), B)).hex(), c["public_key"])
            r = scalar(hx(c["randomness"]))
            ct = encode(mul(r, B)) + encode(add(mul(c["value"], B), mul(r, y)))
            assert_eq(ct.hex(), c["ciphertext"])
        check(f"elgamal encrypt {c['value']}", enc_case)

    pr = load("proofs.json")
    ctx = lambda c: election_transcript(hx(c["context"]))
    for c in pr["schnorr"]:
        check("schnorr", lambda c=c: schnorr_verify(ctx(c), hx(c["X"]), hx(c["proof"])))
    for c in pr["dleq"]:
        check("dleq", lambda c=c: dleq_verify(ctx(c), hx(c["G"]), hx(c["H"]), hx(c["P"]), hx(c["Q"]), hx(c["proof"])))
    for c in pr["range"]:
        check(f"range [{c['min']}, {c['max']}]", lambda c=c: range_verify(ctx(c), hx(c["public_key"]), hx(c["ciphertext"]), c["min"], c["max"], hx(c["proof"])))
    for c in pr["invalid"]:
        def invalid(c=c):
            run = {
                "schnorr": lambda: schnorr_verify(ctx(c), hx(c["X"]), hx(c["proof"])),
                "dleq": lambda: dleq_verify(ctx(c), hx(c["G"]), hx(c["H"]), hx(c["P"]), hx(c["Q"]), hx(c["proof"])),
                "range": lambda: range_verify(ctx(c), hx(c["public_key"]), hx(c["ciphertext"]), c["min"], c["max"], hx(c["proof"])),
            }[c["kind"]]
            try:
                run()
            except Reject:
                assert_eq("encoding", c["error"])
                return
            except InvalidProof:
                assert_eq("invalid_proof", c["error"])
                return
            raise AssertionError("accepted")
        check(f"invalid {c['kind']}: {c['reason']}", invalid)

    cr = load("credential.json")
    arg = lambda c, k: hx(c.get(k, cr[k]))
    check("credential", lambda: credential_verify(arg({}, "issuer_key"), arg({}, "context"), arg({}, "pseudonym"), arg({}, "signature")))
    for c in cr["invalid"]:
        def bad_credential(c=c):
            try:
                credential_verify(arg(c, "issuer_key"), arg(c, "context"), arg(c, "pseudonym"), arg(c, "signature"))
            except Reject:
                assert_eq("encoding", c["error"])
                return
            except InvalidProof:
                assert_eq("invalid_credential", c["error"])
                return
            raise AssertionError("accepted")
        check(f"invalid credential: {c['reason']}", bad_credential)
    check("issuance report", lambda: assert_eq(report_verify(hx(cr["report"]), hx(cr["report_key"]), hx(cr["context"])), 3))

    th = load("threshold.json")
    check("threshold tally", lambda: assert_eq(tally(th), (th["totals"], th["rejected"])))

    ks = load("key_share.json")
    for n, share in enumerate(ks["key_shares"]):
        def stored(n=n, share=share):
            context, i, t, _, qualified, y, vks = key_share_decode(hx(share))
            assert_eq((context.hex(), i, t, qualified), (ks["context"], n + 1, ks["threshold"], [1, 2, 3, 4, 5]))
            assert_eq([encode(y).hex()] + [encode(vk).hex() for vk in vks], [th["election_key"]] + th["verification_keys"])
        check(f"key share {n + 1}", stored)
    for c in ks["invalid"]:
        def bad_share(c=c):
            try:
                key_share_decode(hx(c["key_share"]))
            except Reject:
                assert c["error"] != "InvalidKeyShare", c["error"]
                return
            except InvalidKeyShare:
                assert_eq("InvalidKeyShare", c["error"])
                return
            raise AssertionError("accepted")
        check(f"invalid key share: {c['reason']}", bad_share)

    rec = load("record.json")
    reports = {}

    def verified(record_hex):
        if record_hex not in reports:
            reports[record_hex] = record_verify(hx(record_hex))
        return reports[record_hex]

    want = rec["report"]
    got = lambda: verified(rec["record"])
    check("record: valid and tallied", lambda: assert_eq((got()["verdict"], got()["stage"]), ("valid", "tallied")))
    check("record: head", lambda: assert_eq((got()["head"], want["head"]), (rec["head"], rec["head"])))
    for field in ("entries", "context", "election_key", "credentials", "ballots", "spoiled", "offline_voters", "present",
                  "closed_at", "disqualified", "decrypted_by", "totals", "outcomes"):
        check(f"record report: {field}", lambda f=field: assert_eq(got()[f], want[f]))
    status = lambda r: [(c["check"], c["status"]) for c in r["checks"]]
    check("record report: checks and their status", lambda: assert_eq(status(got()), status(want)))
    # SPEC.md §14.7 does not say what each check's "items" counts; these are inferred (see README.md).
    items = lambda r: [c.get("items") for c in r["checks"]]
    check("record report: items per check (inferred)", lambda: assert_eq(items(got()), items(want)))

    def closed_stage():
        assert rec["record"].startswith(rec["closed"]), "closed is not a prefix of record"
        r = verified(rec["closed"])
        assert_eq((r["verdict"], r["stage"], r["totals"], r["outcomes"]), ("valid", "closed", None, None))

    check("record: closed stage", closed_stage)
    for c in rec["invalid"]:
        def tampered(c=c):
            r = verified(c["record"])
            state = {x["check"]: x["status"] for x in r["checks"]}
            assert_eq((state[c["check"]], r["verdict"]), ("failed", c["verdict"]))
        check(f"invalid record: {c['reason']}", tampered)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def assert_eq(got, want):
    if got != want:
        raise AssertionError(f"got {got!r}, want {want!r}")


if __name__ == "__main__":
    sys.exit(main())
