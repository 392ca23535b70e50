"""The numbers the paper fixes (Graham, Arratia & Riggleman, §II), in LJ units of
species A: one place, read by the analysis functions' defaults and by the workflow's
``DEFAULT_PARAMETERS``.  Choices the paper leaves open are named parameters instead
(``workflow/parameters.py``; docs/conventions.md)."""

#: :math:`|Q|` of the self-intermediate scattering function F_s(Q, t) (σ_AA⁻¹), §II.A
Q = 7.14
#: phop time window t_R (τ), eq. 2
T_R = 10.0
#: phop thresholds of rearranging (soft) and quiet (hard) particles (σ_AA²), §II.B
P_SOFT = 0.2
P_HARD = 0.05
#: least separation of two soft, of two hard training events of a particle (τ), §II.B
SOFT_SEPARATION = 10.0
HARD_SEPARATION = 80.0
#: structure-function grid: first point, upper bound, step and Gaussian width (σ_AA),
#: §II.B ("0.14 for both"; the authors' code used a 0.1 step)
MU_MIN = 0.4
MU_MAX = 3.0
MU_STEP = 0.14
MU_WIDTH = 0.14
#: local s2 damping (eq. 6): centre η and width of the inverse logistic (σ_AA)
S2_ETA = 2.0
S2_DAMPING_WIDTH = 0.1
#: classification accuracy P(S > 0 | R) (R: phop > 0.2) the authors printed for Δ = 0,
#: by reference temperature (ianrgraham/monk, mlj-production/102522-mlj-supplementary.ipynb
#: cell 6 output; docs/authors_conventions.md §6)
AUTHORS_ACCURACY = {
    0.45: 0.7505, 0.47: 0.7787, 0.49: 0.7011, 0.51: 0.6741, 0.53: 0.6489,
    0.55: 0.6102, 0.58: 0.5653, 0.61: 0.5291, 0.64: 0.4901, 0.67: 0.4743,
}  # fmt: skip
#: the accuracies the paper quotes (§II.B): "73–80 %" at the coldest, "40–50 %" at the
#: highest temperatures
ACCURACY_RANGE_COLD = (0.73, 0.80)
ACCURACY_RANGE_HOT = (0.40, 0.50)
