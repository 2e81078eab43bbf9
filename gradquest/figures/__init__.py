"""The figures both front ends draw: the computation graph (cards, picture, layout, canvas), the plots, and what is hidden when. No Textual."""
