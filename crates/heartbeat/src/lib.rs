//! SRUN heartbeat
