"""The experiments of sections 2.1 to 2.4, one module each.

- :mod:`~course_utils.experiments.downsampling` (2.1): where a Keras model shrinks its input.
- :mod:`~course_utils.experiments.deep_stacks` (2.2): plain and residual stacks, gradient norms,
  ResNet-18/34 from basic blocks.
- :mod:`~course_utils.experiments.inception_nets` (2.3): small inception networks.
- :mod:`~course_utils.experiments.transfer` (2.4): reusing trained features, test-time crops.
"""
