/**
 * Invented people for the demo clinic. Rural US towns and a mix of English- and Spanish-speaking
 * patients, as the clinics Careline serves have. Any likeness to a real person is chance.
 */
export const GIVEN_FEMALE = ['Margaret', 'Dolores', 'Ruth', 'Linda', 'María', 'Carmen', 'Evelyn', 'Rosa', 'Patricia', 'Gloria', 'Joan', 'Lucía', 'Sandra', 'Irene'];
export const GIVEN_MALE = ['Harold', 'José', 'Walter', 'Raymond', 'Luis', 'Eugene', 'Francisco', 'Dale', 'Arturo', 'Kenneth', 'Wayne', 'Miguel', 'Roy', 'Tomás'];
export const FAMILY = ['Whitaker', 'Delgado', 'Hollis', 'Navarro', 'Pruitt', 'Castillo', 'Greer', 'Ibarra', 'Lindqvist', 'Ortega', 'Beasley', 'Morales', 'Tanner', 'Vega', 'Hargrove', 'Fuentes', 'Okafor', 'Riggs'];
export const SPANISH_GIVEN = new Set(['María', 'Carmen', 'Rosa', 'Gloria', 'Lucía', 'José', 'Luis', 'Francisco', 'Arturo', 'Miguel', 'Tomás']);
export const TOWNS = [
  { city: 'Alamosa', state: 'CO', postalCode: '81101' },
  { city: 'Marfa', state: 'TX', postalCode: '79843' },
  { city: 'Hays', state: 'KS', postalCode: '67601' },
  { city: 'Elko', state: 'NV', postalCode: '89801' },
  { city: 'Harlan', state: 'KY', postalCode: '40831' },
  { city: 'Española', state: 'NM', postalCode: '87532' },
] as const;
export const STREETS = ['Main St', 'Mesa Rd', 'County Rd 12', 'Cottonwood Ln', 'Old Mill Rd', 'Ridge View Dr', 'Calle Luna'];
