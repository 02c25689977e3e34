"""Shared fixtures. TensorFlow is the oracle, imported once and kept quiet."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pytest  # noqa: E402

from course_utils import conv, conv_fast  # noqa: E402


@pytest.fixture(scope="session")
def tf():
    import tensorflow

    return tensorflow


@pytest.fixture(params=[conv, conv_fast], ids=["loops", "fast"])
def layers(request):
    """Each test that takes ``layers`` runs once on the loop and once on the fast module."""
    return request.param
