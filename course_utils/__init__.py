"""Helpers for the course "Convolutional Neural Networks": where each section's code lives.

The course's own functions, under the names of its programming assignments (``docs/API.md``):

=========  ==============================================================================
section    modules
=========  ==============================================================================
1.1-1.4    :mod:`conv` (loops, for reading), :mod:`conv_fast` (the same, vectorised),
           :mod:`shapes` (output sizes, parameter counts), :mod:`gradcheck`
1.5, 2.5   :mod:`datasets` (SIGNS, HAPPY), :mod:`models` (the course's Keras models)
2.1        :mod:`experiments.downsampling`
2.2, 2.6   :mod:`resnet` (the blocks, ResNet-50, the shipped SIGNS network),
           :mod:`experiments.deep_stacks` (plain against residual stacks)
2.3        :mod:`inception`, :mod:`experiments.inception_nets`
2.4        :mod:`experiments.transfer` (reused features, test-time crops)
2.7        :mod:`transfer` (the MobileNetV2 base, augmentation, ``alpaca_model``, fine-tuning),
           :mod:`synthetic.objects` (its source task), :mod:`synthetic.animals` (alpacas)
3.1, 3.2   :mod:`yolo` (the course's post-processing in TensorFlow),
           :mod:`detection.box_math` (IoU, NMS, anchors, mAP in numpy),
           :mod:`detection.detector` (the shipped YOLOv2-style network), :mod:`synthetic.driving`
3.3        :mod:`unet` (transposed convolution, the U-Net blocks and model, IoU, the shipped U-Nets),
           :mod:`synthetic.driving` (the scenes' class masks)
4.1-4.3    :mod:`face` (triplet loss, verify, who_is_it, the encoder), :mod:`synthetic.identities`
4.5, 4.7   :mod:`style` (costs, VGG-19 features, the generation loop), :mod:`synthetic.paintings`
4.6        :mod:`conv` / :mod:`conv_fast` (``conv3d_forward``), :mod:`shapes`
=========  ==============================================================================

Around them:

- :mod:`checks`: every exercise's checker (``check_<name>``), ``submit`` (use the learner's
  function if it passes), ``solution`` (the project's, folded), ``report``;
  :mod:`solutions` holds those solutions.
- :mod:`synthetic`: the drawings that stand in for the course's data (hand signs, smiling faces,
  identities, driving scenes, paintings, a toy set).
- :mod:`notebook` (``setup``, ``show_source``, ``verdict``), :mod:`figures` (plots),
  :mod:`image_io` (reading, resizing and saving images), :mod:`paths` (where data and weights live).
"""

__version__ = "0.2.0"
