// The catalog the management API emulator starts with: a few GPU and CPU types,
// data centers and public templates. Plausible values for tests, not RunPod's
// live catalog or prices.

/** A GPU type of the seeded catalog. */
export interface SeedGpu {
  id: string;
  name: string;
  pool: string;
  memory: number;
  manufacturer: "NVIDIA" | "AMD";
  /** Price per hour: secure cloud, community cloud, serverless (per GPU). */
  price: { secure: number; community: number; serverless: number };
  maxCount: { secure: number; community: number };
  cuda: string[];
  dataCenters: string[];
}

/** A CPU type of the seeded catalog. */
export interface SeedCpu {
  id: string;
  name: string;
  group: string;
  vcpu: { min: number; max: number };
  ramGbPerVcpu: number;
  price: { securePerVcpu: number; serverlessPerVcpu: number };
  dataCenters: string[];
}

/** A data center of the seeded catalog. */
export interface SeedDataCenter {
  id: string;
  name: string;
  country: string;
  region: "NORTH_AMERICA" | "EUROPE" | "ASIA" | "OCEANIA";
  globalNetwork: boolean;
  networkVolumeTypes: ("STANDARD" | "HIGH_PERFORMANCE")[];
  compliance: string[];
}

const CUDA = ["12.1", "12.4", "12.6", "12.8"];

/** The seeded GPU types. */
export const SEED_GPUS: readonly SeedGpu[] = [
  {
    id: "NVIDIA GeForce RTX 4090",
    name: "RTX 4090",
    pool: "ADA_24",
    memory: 24,
    manufacturer: "NVIDIA",
    price: { secure: 0.69, community: 0.34, serverless: 0.00031 * 3600 },
    maxCount: { secure: 8, community: 8 },
    cuda: CUDA,
    dataCenters: ["US-TX-3", "EU-RO-1", "CA-MTL-1"],
  },
  {
    id: "NVIDIA L4",
    name: "L4",
    pool: "ADA_24",
    memory: 24,
    manufacturer: "NVIDIA",
    price: { secure: 0.43, community: 0.28, serverless: 0.00019 * 3600 },
    maxCount: { secure: 8, community: 4 },
    cuda: CUDA,
    dataCenters: ["US-TX-3", "EU-SE-1"],
  },
  {
    id: "NVIDIA RTX A5000",
    name: "RTX A5000",
    pool: "AMPERE_24",
    memory: 24,
    manufacturer: "NVIDIA",
    price: { secure: 0.29, community: 0.16, serverless: 0.00016 * 3600 },
    maxCount: { secure: 8, community: 8 },
    cuda: CUDA.slice(0, 3),
    dataCenters: ["EU-RO-1", "CA-MTL-1"],
  },
  {
    id: "NVIDIA L40S",
    name: "L40S",
    pool: "ADA_48_PRO",
    memory: 48,
    manufacturer: "NVIDIA",
    price: { secure: 0.86, community: 0.79, serverless: 0.00053 * 3600 },
    maxCount: { secure: 8, community: 4 },
    cuda: CUDA,
    dataCenters: ["US-CA-2", "EU-SE-1"],
  },
  {
    id: "NVIDIA A100 80GB PCIe",
    name: "A100 PCIe",
    pool: "AMPERE_80",
    memory: 80,
    manufacturer: "NVIDIA",
    price: { secure: 1.64, community: 1.19, serverless: 0.00076 * 3600 },
    maxCount: { secure: 8, community: 8 },
    cuda: CUDA,
    dataCenters: ["US-TX-3", "US-CA-2", "EU-RO-1"],
  },
  {
    id: "NVIDIA H100 80GB HBM3",
    name: "H100 SXM",
    pool: "ADA_80_PRO",
    memory: 80,
    manufacturer: "NVIDIA",
    price: { secure: 2.69, community: 2.39, serverless: 0.00116 * 3600 },
    maxCount: { secure: 8, community: 0 },
    cuda: CUDA,
    dataCenters: ["US-CA-2", "EU-SE-1"],
  },
  {
    id: "AMD Instinct MI300X OAM",
    name: "MI300X",
    pool: "AMD_192",
    memory: 192,
    manufacturer: "AMD",
    price: { secure: 2.49, community: 0, serverless: 0 },
    maxCount: { secure: 8, community: 0 },
    cuda: [],
    dataCenters: ["EU-RO-1"],
  },
];

/** The seeded CPU types. */
export const SEED_CPUS: readonly SeedCpu[] = [
  {
    id: "cpu3c",
    name: "Compute-Optimized (3rd gen)",
    group: "Compute-Optimized",
    vcpu: { min: 2, max: 32 },
    ramGbPerVcpu: 2,
    price: { securePerVcpu: 0.03, serverlessPerVcpu: 0.000011 * 3600 },
    dataCenters: ["US-TX-3", "EU-RO-1"],
  },
  {
    id: "cpu3g",
    name: "General Purpose (3rd gen)",
    group: "General Purpose",
    vcpu: { min: 2, max: 32 },
    ramGbPerVcpu: 4,
    price: { securePerVcpu: 0.04, serverlessPerVcpu: 0.000014 * 3600 },
    dataCenters: ["US-TX-3", "EU-SE-1"],
  },
  {
    id: "cpu5c",
    name: "Compute-Optimized (5th gen)",
    group: "Compute-Optimized",
    vcpu: { min: 2, max: 64 },
    ramGbPerVcpu: 2,
    price: { securePerVcpu: 0.05, serverlessPerVcpu: 0.000018 * 3600 },
    dataCenters: ["US-CA-2", "EU-RO-1", "CA-MTL-1"],
  },
];

/** The seeded data centers. */
export const SEED_DATA_CENTERS: readonly SeedDataCenter[] = [
  {
    id: "US-TX-3",
    name: "Texas 3",
    country: "US",
    region: "NORTH_AMERICA",
    globalNetwork: true,
    networkVolumeTypes: ["STANDARD", "HIGH_PERFORMANCE"],
    compliance: ["SOC_2_TYPE_2", "ISO_IEC_27001"],
  },
  {
    id: "US-CA-2",
    name: "California 2",
    country: "US",
    region: "NORTH_AMERICA",
    globalNetwork: false,
    networkVolumeTypes: ["STANDARD"],
    compliance: ["SOC_2_TYPE_2"],
  },
  {
    id: "CA-MTL-1",
    name: "Montreal 1",
    country: "CA",
    region: "NORTH_AMERICA",
    globalNetwork: true,
    networkVolumeTypes: ["STANDARD"],
    compliance: ["RENEWABLE"],
  },
  {
    id: "EU-RO-1",
    name: "Romania 1",
    country: "RO",
    region: "EUROPE",
    globalNetwork: true,
    networkVolumeTypes: ["STANDARD", "HIGH_PERFORMANCE"],
    compliance: ["GDPR", "ISO_IEC_27001"],
  },
  {
    id: "EU-SE-1",
    name: "Sweden 1",
    country: "SE",
    region: "EUROPE",
    globalNetwork: false,
    networkVolumeTypes: ["STANDARD"],
    compliance: ["GDPR", "RENEWABLE"],
  },
];

/** The seeded public templates: `[source, id, name, image, serverless, category]`. */
export const SEED_PUBLIC_TEMPLATES: readonly (readonly [
  "official" | "verified" | "community",
  string,
  string,
  string,
  boolean,
  "NVIDIA" | "AMD" | "CPU",
])[] = [
  [
    "official",
    "runpod-torch-v280",
    "Runpod PyTorch 2.8",
    "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404",
    false,
    "NVIDIA",
  ],
  ["official", "runpod-worker-vllm", "vLLM worker", "runpod/worker-v1-vllm:v2.7.0", true, "NVIDIA"],
  ["official", "runpod-ubuntu-cpu", "Ubuntu (CPU)", "runpod/base:0.7.0-ubuntu2404", false, "CPU"],
  ["verified", "comfyui-verified", "ComfyUI", "example/comfyui:latest", false, "NVIDIA"],
  [
    "community",
    "whisper-community",
    "Whisper worker",
    "example/whisper-worker:1.2",
    true,
    "NVIDIA",
  ],
];
