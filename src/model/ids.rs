//! Typed indices into the scenario's and the world's `Vec`s.
//!
//! **Invariant:** an id is only ever created for an element that exists, so
//! indexing with `id.index()` never goes out of bounds for the `Vec` it names.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub $inner);

        impl $name {
            /// The position of this element in its `Vec`.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of the element at position `i` of its `Vec`.
            #[inline]
            pub fn from_index(i: usize) -> Self {
                debug_assert!(i <= <$inner>::MAX as usize);
                Self(i as $inner)
            }
        }
    };
}

id_type!(
    /// A state (the agent), or a non-state actor, by its position in `Scenario::states`.
    StateId(u32)
);
id_type!(
    /// An issue (transnational problem), by its position in `Scenario::issues`.
    IssueId(u16)
);
id_type!(
    /// A multilateral body, by its position in `Scenario::bodies`.
    BodyId(u16)
);
id_type!(
    /// A capability dimension, by its position in `Scenario::capabilities`.
    CapId(u16)
);
id_type!(
    /// A coalition slot in `World::coalitions`; slots are reused after dissolution
    /// (the founding number is `Coalition::serial`).
    CoalitionId(u32)
);
