"""Seeded synthetic faces: identities with stable traits, photos that vary.

An *identity* is a set of traits drawn once from its seed: face shape and proportions, skin,
hair, eye and eyebrow colours, hairstyle, eyebrow shape, nose and mouth size, glasses, beard
and a mole. A *photo* of that identity is drawn from a second seed: head rotation and yaw
(the features slide sideways and the far half of the face narrows), expression (smile, eyes
half closed, raised eyebrows), lighting (brightness, contrast and a directional gradient),
scale, position, background (colour, gradient and blobs) and Gaussian noise. The nuisances
are large enough that two photos of the same person are often further apart pixel by pixel
than photos of two different people, which is what makes face recognition need a learned
encoding.

Identities ``0 .. 9_999`` are the training people; ``TEST_OFFSET`` and above are never used in
training, so every evaluation is on unseen faces. Everything is a pure function of the seeds.

Images are ``uint8`` arrays of shape ``(size, size, 3)``; the default ``size`` is 64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils import _validate

__all__ = ["IMAGE_SIZE", "TEST_OFFSET", "identity_traits", "render_face", "photos", "face_dataset"]

IMAGE_SIZE = 64
TEST_OFFSET = 1_000_000

_HAIR = np.array([[0.08, 0.06, 0.05], [0.30, 0.18, 0.08], [0.55, 0.35, 0.15], [0.85, 0.70, 0.35],
                  [0.60, 0.22, 0.08], [0.55, 0.55, 0.55], [0.92, 0.92, 0.90], [0.20, 0.12, 0.30]])
_SKIN = np.array([[0.98, 0.85, 0.72], [0.93, 0.74, 0.58], [0.80, 0.58, 0.42], [0.62, 0.42, 0.28],
                  [0.42, 0.28, 0.18], [0.96, 0.80, 0.70]])
_EYES = np.array([[0.15, 0.35, 0.75], [0.30, 0.55, 0.25], [0.40, 0.25, 0.10], [0.10, 0.08, 0.06],
                  [0.45, 0.50, 0.55]])
_GLASSES = np.array([[0.05, 0.05, 0.05], [0.70, 0.10, 0.10], [0.10, 0.20, 0.60], [0.75, 0.65, 0.20]])
HAIRSTYLES = ("bald", "short", "long", "fringe", "side part", "spiky")


def identity_traits(identity: int) -> dict:
    """The stable traits of one person.

    Parameters
    ----------
    identity : int
        Non-negative identity number; the same number always gives the same person.

    Returns
    -------
    dict
        Trait name to value (colours are RGB triples in [0, 1]).
    """
    identity = _validate.integer(identity, "identity", minimum=0)
    rng = np.random.default_rng([identity, 11])

    def jitter(colour, amount=0.06):
        return np.clip(colour + rng.normal(0, amount, 3), 0, 1)

    return {
        "face_width": rng.uniform(0.50, 0.72),
        "face_height": rng.uniform(0.66, 0.86),
        "chin": rng.uniform(-0.25, 0.35),           # >0 narrow (pointed) chin, <0 square jaw
        "skin": jitter(_SKIN[rng.integers(len(_SKIN))], 0.04),
        "hair": jitter(_HAIR[rng.integers(len(_HAIR))]),
        "hairstyle": int(rng.integers(len(HAIRSTYLES))),
        "hair_volume": rng.uniform(0.04, 0.16),
        "eye_colour": jitter(_EYES[rng.integers(len(_EYES))], 0.05),
        "eye_spacing": rng.uniform(0.20, 0.34),
        "eye_height": rng.uniform(-0.02, 0.16),
        "eye_size": rng.uniform(0.055, 0.10),
        "brow_thickness": rng.uniform(0.015, 0.055),
        "brow_slant": rng.uniform(-0.5, 0.5),
        "brow_colour_dark": rng.uniform(0.3, 1.0),
        "nose_length": rng.uniform(0.10, 0.26),
        "nose_width": rng.uniform(0.04, 0.10),
        "mouth_width": rng.uniform(0.14, 0.30),
        "mouth_height": rng.uniform(-0.50, -0.34),
        "lip_colour": np.clip(np.array([0.75, 0.30, 0.32]) + rng.normal(0, 0.08, 3), 0, 1),
        "glasses": int(rng.integers(len(_GLASSES))) if rng.random() < 0.3 else -1,
        "beard": bool(rng.random() < 0.25),
        "mole": (rng.uniform(-0.3, 0.3), rng.uniform(-0.35, 0.1)) if rng.random() < 0.3 else None,
        "ears": rng.uniform(0.05, 0.11),
    }


@dataclass(frozen=True)
class _Frame:
    """Where one photo's pixels fall on the face: the pixel grid (``x`` right, ``y`` up, both in
    [-1, 1]) and the face's own coordinates (``u_face`` right, ``v`` up; the face is about the unit
    disk), after the rotation, scale, shift and yaw of the pose; ``edge`` is the anti-aliasing width."""

    x: np.ndarray
    y: np.ndarray
    u_face: np.ndarray
    v: np.ndarray
    edge: float
    yaw: float


@dataclass(frozen=True)
class _Expression:
    smile: float
    eye_open: float
    brow_raise: float
    mouth_open: float


def _soft(signed_distance, edge):
    """Anti-aliased mask: 1 inside (negative distance), 0 outside."""
    return np.clip(0.5 - signed_distance / edge, 0.0, 1.0)


def _ellipse(u, v, cu, cv, ru, rv, edge):
    # Approximate signed distance: scaled radial distance minus one, times the smaller radius.
    r = np.sqrt(((u - cu) / ru) ** 2 + ((v - cv) / rv) ** 2)
    return _soft((r - 1.0) * min(ru, rv), edge)


def _paint(canvas, mask, colour):
    """Composite ``colour`` over ``canvas`` (in place) with opacity ``mask``."""
    canvas *= 1.0 - mask[..., None]
    canvas += mask[..., None] * np.asarray(colour)[None, None, :]


# --- geometry: the pose and the expression of one photo ----------------------------------------

def _pose(rng, size: int) -> _Frame:
    """Draw the head's rotation, scale, shift and yaw; map the pixel grid to face coordinates."""
    angle = rng.normal(0, 0.18)
    scale = rng.uniform(0.78, 1.08)
    shift = rng.normal(0, 0.07, 2)
    yaw = rng.uniform(-0.35, 0.35)
    grid = (np.arange(size) + 0.5) / size * 2.0 - 1.0
    x, y = np.meshgrid(grid, -grid)
    x, y = x - shift[0], y - shift[1]
    c, s = np.cos(angle), np.sin(angle)
    u = (c * x + s * y) / (scale * 0.95)
    v = (-s * x + c * y) / (scale * 0.95)
    # Yaw: features move towards one side; the side turned away narrows.
    u_face = u - yaw * 0.25 * np.sqrt(np.clip(1 - v ** 2, 0, 1))
    u_face = np.where(u_face * yaw > 0, u_face * (1 + abs(yaw) * 0.8), u_face)
    return _Frame(x, y, u_face, v, 2.4 / size / scale, yaw)


def _expression(rng) -> _Expression:
    smile = rng.uniform(-0.4, 1.0)
    eye_open = rng.uniform(0.45, 1.0)
    brow_raise = rng.uniform(-0.02, 0.05)
    mouth_open = rng.uniform(0.0, 0.05) if rng.random() < 0.3 else 0.0
    return _Expression(smile, eye_open, brow_raise, mouth_open)


# --- drawing, back to front --------------------------------------------------------------------

def _background(rng, f: _Frame) -> np.ndarray:
    """A two-colour gradient in a random direction with up to three soft blobs; (size, size, 3)."""
    base = rng.uniform(0.05, 0.95, 3)
    other = rng.uniform(0.05, 0.95, 3)
    direction = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * f.x + np.sin(direction) * f.y + 1.5) / 3.0
    canvas = base[None, None, :] * (1 - ramp[..., None]) + other[None, None, :] * ramp[..., None]
    for _ in range(int(rng.integers(0, 4))):
        _paint(canvas, _ellipse(f.x, f.y, *rng.uniform(-1, 1, 2), *rng.uniform(0.1, 0.5, 2), 0.05) * 0.8,
               rng.uniform(0, 1, 3))
    return canvas


def _hair_behind(canvas, t: dict, f: _Frame) -> None:
    fw, fh, hair, vol = t["face_width"], t["face_height"], t["hair"], t["hair_volume"]
    style = HAIRSTYLES[t["hairstyle"]]
    u_face, v, edge = f.u_face, f.v, f.edge
    if style == "long":
        _paint(canvas, _ellipse(u_face, v, 0, -0.05, fw + vol + 0.06, fh + 0.1, edge) * (v > -0.75), hair)
    if style in ("short", "fringe", "side part", "long"):
        _paint(canvas, _ellipse(u_face, v, 0, 0.12, fw + vol * 0.6, fh * 0.85 + vol, edge), hair)
    if style == "spiky":
        spikes = 0.5 + 0.5 * np.cos(np.arctan2(v - 0.1, u_face) * 14)
        r = np.sqrt((u_face / (fw + 0.02)) ** 2 + ((v - 0.1) / (fh * 0.85)) ** 2)
        _paint(canvas, _soft(r - 1 - (vol + 0.05) * 2 * spikes, edge * 2) * (v > 0.05), hair)


def _head(canvas, t: dict, f: _Frame) -> np.ndarray:
    """Ears, the face and the beard; returns the face's mask, which clips what is drawn on it."""
    fw, fh = t["face_width"], t["face_height"]
    u_face, v, edge = f.u_face, f.v, f.edge
    for side in (-1, 1):
        _paint(canvas, _ellipse(u_face, v, side * fw, 0.02, t["ears"], 0.13, edge), t["skin"] * 0.92)
    width_at_v = fw * (1 - np.clip(-v / fh, 0, 1) * t["chin"] * 0.6)
    r_face = np.sqrt((u_face / width_at_v) ** 2 + (v / fh) ** 2)
    face_mask = _soft((r_face - 1.0) * fw, edge)
    _paint(canvas, face_mask, t["skin"])
    if t["beard"]:
        _paint(canvas, face_mask * _soft(-(v + 0.25 - 0.15 * np.abs(u_face)), edge * 2) * 0.85, t["hair"] * 0.9)
    return face_mask


def _hair_in_front(canvas, t: dict, f: _Frame, face_mask) -> None:
    fh, hair = t["face_height"], t["hair"]
    style = HAIRSTYLES[t["hairstyle"]]
    u_face, v, edge = f.u_face, f.v, f.edge
    if style == "fringe":
        _paint(canvas, face_mask * _soft(-(v - fh * 0.55 + 0.04 * np.cos(u_face * 30)), edge), hair)
    if style == "side part":
        _paint(canvas, face_mask * _soft(-(v - fh * 0.62 - 0.25 * u_face), edge), hair)
    if style == "short":
        _paint(canvas, face_mask * _soft(-(v - fh * 0.7), edge), hair)


def _eyes_and_brows(canvas, t: dict, f: _Frame, e: _Expression) -> None:
    u_face, v, edge = f.u_face, f.v, f.edge
    for side in (-1, 1):
        cu, cv = side * t["eye_spacing"], t["eye_height"]
        ru, rv = t["eye_size"] * 1.4, t["eye_size"] * e.eye_open
        _paint(canvas, _ellipse(u_face, v, cu, cv, ru, rv, edge), [0.97, 0.97, 0.95])
        iris = _ellipse(u_face, v, cu + f.yaw * 0.05, cv, t["eye_size"] * 0.7, t["eye_size"] * 0.7, edge)
        _paint(canvas, iris * _ellipse(u_face, v, cu, cv, ru, rv, edge), t["eye_colour"])
        bv = cv + t["eye_size"] * 1.3 + 0.05 + e.brow_raise + side * t["brow_slant"] * (u_face - cu) * 0.5
        brow = _soft(np.abs(v - bv) - t["brow_thickness"], edge) * _soft(np.abs(u_face - cu) - ru * 1.1, edge)
        _paint(canvas, brow, t["hair"] * (1 - t["brow_colour_dark"] * 0.7))


def _nose_mouth_mole(canvas, t: dict, f: _Frame, e: _Expression, face_mask) -> None:
    u_face, v, edge = f.u_face, f.v, f.edge
    nose_u = u_face + f.yaw * 0.06
    nose = _soft(np.abs(nose_u) - t["nose_width"] * np.clip((t["eye_height"] - v) / t["nose_length"], 0, 1),
                 edge) * (v < t["eye_height"]) * (v > t["eye_height"] - t["nose_length"])
    _paint(canvas, nose * 0.6, t["skin"] * 0.7)
    mw, mv = t["mouth_width"], t["mouth_height"] + t["eye_height"] * 0.3
    curve = mv + e.smile * 0.5 * (u_face / mw) ** 2 * 0.12
    lips = (_soft(np.abs(v - curve + e.mouth_open / 2) - 0.018 - e.mouth_open / 2, edge)
            * _soft(np.abs(u_face) - mw, edge))
    _paint(canvas, lips * face_mask, t["lip_colour"])
    if t["mole"] is not None:
        _paint(canvas, _ellipse(u_face, v, *t["mole"], 0.025, 0.025, edge) * face_mask, [0.25, 0.15, 0.1])


def _glasses(canvas, t: dict, f: _Frame) -> None:
    if t["glasses"] < 0:
        return
    u_face, v, edge = f.u_face, f.v, f.edge
    colour = _GLASSES[t["glasses"]]
    for side in (-1, 1):
        cu, cv = side * t["eye_spacing"], t["eye_height"]
        r = np.sqrt(((u_face - cu) / 0.13) ** 2 + ((v - cv) / 0.10) ** 2)
        _paint(canvas, _soft(np.abs(r - 1) * 0.1 - 0.012, edge), colour)
    bridge = _soft(np.abs(v - t["eye_height"]) - 0.012, edge) * (np.abs(u_face) < t["eye_spacing"] - 0.12)
    _paint(canvas, bridge, colour)


# --- shading: the camera ------------------------------------------------------------------------

def _lighting_and_noise(rng, canvas, f: _Frame) -> np.ndarray:
    """Brightness, a directional light, a colour tint, contrast and sensor noise; to uint8."""
    gain = rng.uniform(0.6, 1.25)
    light = rng.uniform(0, 2 * np.pi)
    strength = rng.uniform(0.0, 0.45)
    shade = 1 + strength * (np.cos(light) * f.x + np.sin(light) * f.y) / 1.4
    tint = 1 + rng.normal(0, 0.06, 3)
    contrast = rng.uniform(0.7, 1.2)
    image = (canvas - 0.5) * contrast + 0.5
    image = image * gain * shade[..., None] * tint[None, None, :]
    image += rng.normal(0, rng.uniform(0.01, 0.06), image.shape)
    return (np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8)


def render_face(traits: dict, photo_seed: int, size: int = IMAGE_SIZE) -> np.ndarray:
    """Draw one photo of the person described by ``traits``.

    The photo's seed draws, in this order, the pose, the expression, the background and the
    lighting; the person's traits then decide what is painted, back to front.

    Parameters
    ----------
    traits : dict
        From :func:`identity_traits`.
    photo_seed : int
        Seeds the pose, expression, lighting, scale, background and noise.
    size : int, default 64
        Height and width of the image in pixels.

    Returns
    -------
    numpy.ndarray of uint8, shape (size, size, 3)
    """
    size = _validate.integer(size, "size", minimum=16)
    rng = np.random.default_rng([_validate.integer(photo_seed, "photo_seed", minimum=0), 7])
    frame = _pose(rng, size)
    expression = _expression(rng)
    canvas = _background(rng, frame)
    _hair_behind(canvas, traits, frame)
    face_mask = _head(canvas, traits, frame)
    _hair_in_front(canvas, traits, frame, face_mask)
    _eyes_and_brows(canvas, traits, frame, expression)
    _nose_mouth_mole(canvas, traits, frame, expression, face_mask)
    _glasses(canvas, traits, frame)
    return _lighting_and_noise(rng, canvas, frame)


def photos(identity: int, n: int, start: int = 0, size: int = IMAGE_SIZE) -> np.ndarray:
    """``n`` photos of one person (photo numbers ``start .. start + n - 1``).

    Returns
    -------
    numpy.ndarray of uint8, shape (n, size, size, 3)
    """
    identity = _validate.integer(identity, "identity", minimum=0)
    n = _validate.integer(n, "n", minimum=0)
    start = _validate.integer(start, "start", minimum=0)
    traits = identity_traits(identity)
    out = np.empty((n, size, size, 3), np.uint8)
    for k in range(n):
        out[k] = render_face(traits, identity * 100_000 + start + k, size)
    return out


def face_dataset(n_identities: int, photos_per_identity: int, split: str = "train", start: int = 0,
                 first_identity: int = 0, size: int = IMAGE_SIZE):
    """Photos of several people with their labels.

    Parameters
    ----------
    n_identities : int
        Number of people.
    photos_per_identity : int
        Photos of each person.
    split : {"train", "test"}
        ``"test"`` people are numbered from :data:`TEST_OFFSET` and never appear in training.
    start : int, default 0
        First photo number of each person (use different ranges for reference and query photos).
    first_identity : int, default 0
        Number of the first person within the split.
    size : int, default 64
        Image size.

    Returns
    -------
    images : numpy.ndarray of uint8, shape (n_identities * photos_per_identity, size, size, 3)
        Grouped by person.
    labels : numpy.ndarray of int64, shape (n_identities * photos_per_identity,)
        The identity number of each photo.
    """
    if split not in ("train", "test"):
        raise ValueError(f'split must be "train" or "test"; got {split!r}')
    n_identities = _validate.integer(n_identities, "n_identities", minimum=1)
    photos_per_identity = _validate.integer(photos_per_identity, "photos_per_identity", minimum=1)
    first_identity = _validate.integer(first_identity, "first_identity", minimum=0)
    offset = TEST_OFFSET if split == "test" else 0
    ids = np.arange(n_identities) + first_identity + offset
    if split == "train" and ids[-1] >= TEST_OFFSET:
        raise ValueError(f"training identities must stay below {TEST_OFFSET}; got up to {ids[-1]}")
    images = np.concatenate([photos(int(i), photos_per_identity, start, size) for i in ids])
    return images, np.repeat(ids, photos_per_identity).astype(np.int64)
