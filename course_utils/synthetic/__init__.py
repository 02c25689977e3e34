"""The synthetic data the course draws instead of downloading, one module per kind of picture.

- :mod:`~course_utils.synthetic.render`: drawing primitives shared by the SIGNS and HAPPY drawings.
- :mod:`~course_utils.synthetic.signs`: hand signs showing 0 to 5 fingers (SIGNS, sections 1.5, 2.x).
- :mod:`~course_utils.synthetic.happy`: faces, smiling or not (HAPPY, section 2.5).
- :mod:`~course_utils.synthetic.identities`: people with stable traits and many photos each
  (face recognition, sections 4.1 to 4.3).
- :mod:`~course_utils.synthetic.driving`: dash-camera scenes with labelled boxes (sections 3.1, 3.2) and
  per-pixel class masks (section 3.3).
- :mod:`~course_utils.synthetic.paintings`: procedural paintings for style transfer (4.5, 4.7).
- :mod:`~course_utils.synthetic.toy`: a tiny "+" or "x" image set for second-long experiments.
- :mod:`~course_utils.synthetic.objects`: 43 classes of objects, textures, hands, faces and road
  scenes, the source task of the MobileNetV2 base (section 2.7).
- :mod:`~course_utils.synthetic.animals`: alpacas and other animals in fields, written as a folder
  of images (section 2.7's target task).

The SIGNS and HAPPY files in ``data/`` are written from these by :mod:`course_utils.datasets`.
"""
