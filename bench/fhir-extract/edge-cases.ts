/** Resources with awkward shapes, used to compare the two FHIRPath engines row by row. */
export const edgeCases: readonly (readonly [string, object])[] = [
  [
    'Encounter with open Period, identifier-only subject',
    {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { type: 'Patient', identifier: { system: 'urn:mrn', value: '42' } },
      period: { start: '2024-03' },
      participant: [{ individual: { reference: 'Practitioner/dr-1' } }],
    },
  ],
  [
    'Observation with comparator, partial date, value string',
    {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'HbA1c' },
      subject: { reference: 'http://other.example/fhir/Patient/9' },
      effectiveDateTime: '2024',
      valueQuantity: { value: 5.7, comparator: '<', unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
      performer: [{ reference: 'Patient/p1' }, { reference: 'Organization/o1' }],
    },
  ],
  [
    'Appointment with several patients',
    {
      resourceType: 'Appointment',
      status: 'booked',
      start: '2024-06-01T09:00:00-05:00',
      end: '2024-06-01T09:30:00-05:00',
      participant: [
        { actor: { reference: 'Patient/a' }, status: 'accepted' },
        { actor: { reference: 'Patient/b' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/c' }, status: 'accepted' },
        { actor: { reference: 'Location/room-1' }, status: 'accepted' },
      ],
    },
  ],
  [
    'MedicationRequest with Timing-free dosage and money-free fields',
    {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }] },
      subject: { reference: 'Patient/p1' },
      authoredOn: '2024-02-29',
      identifier: [{ system: 'urn:rx', value: 'A-1' }],
    },
  ],
  [
    'Patient deceased, linked',
    {
      resourceType: 'Patient',
      id: 'p2',
      deceasedDateTime: '2020-01-01',
      link: [{ other: { reference: 'Patient/p3' }, type: 'seealso' }],
      name: [{ text: 'Zoë Ångström' }],
    },
  ],
];
