"""One image module, one error policy: missing file -> FileNotFoundError, unreadable or wrong-shaped ->
ValueError, wrong kind of argument -> TypeError; the same rule for every module that reads images."""

import numpy as np
import pytest
from PIL import Image

from course_utils import image_io, models


@pytest.fixture()
def files(tmp_path):
    picture = np.zeros((30, 60, 3), np.uint8)
    picture[:, 20:40] = 255  # a white band in the middle of a wide image
    Image.fromarray(picture).save(tmp_path / "wide.png")
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[:4, :, 3] = 255  # top half opaque black, bottom half transparent
    Image.fromarray(rgba).save(tmp_path / "half.png")
    (tmp_path / "notes.png").write_text("this is not a picture")
    return tmp_path


def test_load_image_reads_crops_and_resizes(files):
    batch = image_io.load_image(files / "wide.png")
    assert batch.shape == (1, 30, 60, 3) and batch.dtype == np.float32 and batch.max() == 1.0
    square = image_io.load_image(files / "wide.png", size=10)  # the centred 30x30 square: the band fills it
    assert square.shape == (1, 10, 10, 3)
    assert square[0, :, 4:6].min() > 0.99 and square[0, :, 0].max() < 0.5
    stretched = image_io.load_image(files / "wide.png", size=(10, 10), crop=False)
    assert stretched[0, :, 0].max() == 0.0  # the whole width: the black borders stay


def test_transparency_is_laid_over_white(files):
    image = image_io.read_image(files / "half.png")
    assert image[:4].max() == 0 and image[4:].min() == 255
    array = np.zeros((4, 4, 4))
    np.testing.assert_array_equal(image_io.read_image(array), 255)


def test_one_error_policy(files):
    with pytest.raises(FileNotFoundError, match="'.*missing.png' does not exist"):
        image_io.load_image(files / "missing.png")
    with pytest.raises(ValueError, match="could not be read as an image"):
        image_io.load_image(files / "notes.png")
    with pytest.raises(ValueError, match=r"must be one image.*got shape \(2, 3, 3, 3\)"):
        image_io.as_batch(np.zeros((2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        image_io.as_batch(np.full((2, 2, 3), 2.0))
    with pytest.raises(ValueError, match="0..255"):
        image_io.as_batch(np.full((2, 2, 3), 300))
    with pytest.raises(TypeError, match="source must be a file name, a PIL image or an array; got int"):
        image_io.load_image(42)
    with pytest.raises(ValueError, match="size must be an int or a pair"):
        image_io.resize(np.zeros((4, 4, 3)), (1, 2, 3))
    # the models read files the same way
    with pytest.raises(FileNotFoundError, match="does not exist"):
        models.preprocess_image(files / "missing.png")


def test_save_and_reload_round_trip(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (5, 7, 3)).astype(np.uint8)
    path = image_io.save_image(image, tmp_path / "deep" / "folder" / "x.png")
    np.testing.assert_array_equal(image_io.read_image(path), image)


def test_sample_photos_ship_with_installed_packages():
    photo = image_io.sample_photo("chelsea", 32)
    assert photo.shape == (1, 32, 32, 3) and 0 <= photo.min() and photo.max() <= 1
    assert image_io.sample_photo("grace_hopper", (20, 16)).shape == (1, 20, 16, 3)
    with pytest.raises(ValueError, match="name must be one of"):
        image_io.sample_photo("mona_lisa")
