/** Resources the extraction and validation benchmarks run on: a device blood-pressure reading and a patient. */
export const bloodPressure = {
  resourceType: 'Observation',
  id: 'bp-1',
  meta: { versionId: '1', lastUpdated: '2024-05-01T08:00:01.123Z', profile: ['http://hl7.org/fhir/StructureDefinition/bp'] },
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
      text: 'Vital Signs',
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
  subject: { reference: 'Patient/example-patient' },
  effectiveDateTime: '2024-05-01T10:00:00+02:00',
  device: { reference: 'Device/cuff-17' },
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: { value: 128, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: { value: 82, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
};

export const patient = {
  resourceType: 'Patient',
  id: 'example-patient',
  meta: { versionId: '3', lastUpdated: '2024-04-01T12:00:00Z' },
  identifier: [
    { use: 'usual', type: { text: 'Medical record number' }, system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' },
    { system: 'http://ns.electronichealth.net.au/id/hi/ihi/1.0', value: '8003608166690503' },
  ],
  active: true,
  name: [
    { use: 'official', family: 'Núñez', given: ['José', 'María'], prefix: ['Sr.'] },
    { use: 'usual', given: ['Pepe'] },
  ],
  telecom: [
    { system: 'phone', value: '+34 600 000 000', use: 'mobile' },
    { system: 'email', value: 'jose.nunez@example.org' },
  ],
  gender: 'male',
  birthDate: '1974-12-25',
  address: [{ use: 'home', line: ['Calle Mayor 1', '3º B'], city: 'Córdoba', state: 'Andalucía', postalCode: '14001', country: 'ES' }],
  managingOrganization: { reference: 'Organization/clinic-1' },
};
